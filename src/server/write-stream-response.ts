import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { escapeLineSeparators } from '../wire/escape-line-separators.ts';
import { llmuxHeaders } from './request-context.ts';

/**
 * Streams `chunks` to the client as they come: headers first (with the llmux headers and any set
 * on the reply, CORS included), then each chunk written at once with no buffering, honouring
 * backpressure. Stops reading `chunks` as soon as the client goes away, which ends the upstream call.
 * Every stream llmux writes (NDJSON, SSE) carries JSON, so U+2028/U+2029 are escaped here, once
 * for every encoder: Ollama's server (Go's encoder) never writes them raw, and clients that split
 * lines like Python's `str.splitlines()` break on them.
 */
export function writeStreamResponse(request: FastifyRequest, reply: FastifyReply, contentType: string, chunks: AsyncIterable<string>): Promise<void> {
  const outcome = request.llmux.outcome;
  outcome.streamed = true;
  // The outcome waits for this to end: an aborted stream reports what it streamed on its way out.
  const written = writeChunks(request, reply, contentType, chunks);
  outcome.hold(written);
  return written;
}

async function writeChunks(request: FastifyRequest, reply: FastifyReply, contentType: string, chunks: AsyncIterable<string>): Promise<void> {
  const outcome = request.llmux.outcome;
  reply.hijack();
  const raw = reply.raw;
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
  Object.assign(headers, llmuxHeaders(request), {
    'content-type': contentType,
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  // No flushHeaders(): the dispatcher hands over a stream once its first output is there, so the
  // headers leave in the same packet as the first chunk — one wake-up for the client, not two.
  try {
    raw.writeHead(200, headers);
  } catch (error) {
    // The reply is hijacked: nothing else will answer. Cut the connection rather than leave the client waiting.
    request.log.error({ err: error }, 'stream headers could not be written');
    raw.destroy();
    return;
  }
  const streams = request.llmux.streams;
  streams?.streamOpened();
  try {
    for await (const chunk of chunks) {
      if (raw.destroyed) break;
      const escaped = escapeLineSeparators(chunk);
      const flowing = raw.write(escaped);
      outcome.noteBytesWritten(Buffer.byteLength(escaped));
      if (!flowing) {
        await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
        if (raw.destroyed) break;
      }
    }
  } catch (error) {
    request.log.error({ err: error }, 'stream encoder failed');
  } finally {
    streams?.streamClosed();
    if (!raw.destroyed) raw.end();
  }
}
