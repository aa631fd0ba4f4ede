import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestOutcomeRecorder } from '../observability/request-outcome-recorder.ts';
import { escapeLineSeparators } from '../wire/escape-line-separators.ts';
import { llmuxHeaders } from './request-context.ts';
import type { StreamBody } from './stream-body.ts';

/**
 * Streams `body` to the client as it comes: headers first (with the llmux headers and any set on
 * the reply, CORS included), then what each upstream network chunk encoded to, written at once with
 * no buffering, honouring backpressure (while the client reads slower than the upstream sends,
 * nothing more is read from the upstream). This loop is the one place that waits per chunk: the
 * body decodes, measures and encodes a chunk synchronously. Stops reading as soon as the client
 * goes away, and closes the body either way, which ends an unfinished upstream call. The body's
 * last text (see StreamBody.ended) ends the response in the same write, before the body is closed:
 * the client's last byte does not wait for what closing still does (a stream that ended in an
 * error counts what it streamed).
 * Every stream llmux writes (NDJSON, SSE) carries JSON, so U+2028/U+2029 are escaped here, once
 * for every encoder: Ollama's server (Go's encoder) never writes them raw, and clients that split
 * lines like Python's `str.splitlines()` break on them.
 *
 * The stream goes on by itself: this returns the (hijacked) reply at once, and the route handler
 * returns it, so that nothing the handler held while it read the request — the parsed body, its
 * locals (a suspended async function keeps them all) — stays alive as long as the stream. The
 * parsed body is let go here too (`request.body`): once a stream is written, what it still needs
 * of the request is in the canonical request the stream carries (the prompt is counted from it
 * when the upstream reports no usage). Measured with 200 open streams, after a full collection
 * (2026-12): a 48 KB Claude Code turn on /v1/messages held 161–165 KB of heap per stream, now
 * 119–120 KB; a 47 KB /v1/chat/completions body 106–107 KB, now 93–95 KB.
 */
export function writeStreamResponse(request: FastifyRequest, reply: FastifyReply, contentType: string, body: StreamBody): FastifyReply {
  const outcome = request.llmux.outcome;
  outcome.streamed = true;
  request.body = undefined;
  // The outcome waits for this to end: an aborted stream reports what it streamed on its way out.
  outcome.hold(writeBody(request, reply, contentType, body));
  return reply;
}

async function writeBody(request: FastifyRequest, reply: FastifyReply, contentType: string, body: StreamBody): Promise<void> {
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
    await body.close();
    return;
  }
  const streams = request.llmux.streams;
  streams?.streamOpened();
  const keepAlive = body.keepAlive === undefined ? undefined : keepAliveTimer(raw, outcome, body.keepAlive);
  try {
    for (;;) {
      const text = await body.read();
      if (text === undefined || raw.destroyed) break;
      if (body.ended === true) {
        end(raw, outcome, text);
        break;
      }
      keepAlive?.refresh();
      if (text.length > 0 && !write(raw, outcome, text)) {
        if (!raw.destroyed) await drainedOrClosed(raw);
        if (raw.destroyed) break;
      }
    }
  } catch (error) {
    request.log.error({ err: error }, 'stream encoder failed');
  } finally {
    clearInterval(keepAlive);
    streams?.streamClosed();
    await body.close();
    if (!raw.destroyed && !raw.writableEnded) raw.end();
  }
}

/**
 * Writes one chunk; false when the client's buffer is full (wait for `drain` before the next).
 * Corked and uncorked here, the chunk (with its chunked-encoding size line and CRLF, and the
 * headers before the first) goes to the socket in this pass as one writev: left to Node, the
 * response corks the socket itself and uncorks it on the next tick, after every pending microtask
 * (the read of the next chunk among them).
 */
function write(raw: ServerResponse, outcome: RequestOutcomeRecorder, text: string): boolean {
  const escaped = escapeLineSeparators(text);
  const socket = raw.socket;
  socket?.cork();
  const flowing = raw.write(escaped);
  socket?.uncork();
  outcome.noteBytesWritten(Buffer.byteLength(escaped));
  return flowing;
}

/**
 * Writes the body's last text and ends the response with it: `end` corks the socket itself, so the
 * chunk and the body's closing zero-length chunk leave in one write, and the client's last read
 * brings both (written apart, the end waited for a second write and a second wake-up).
 */
function end(raw: ServerResponse, outcome: RequestOutcomeRecorder, text: string): void {
  const escaped = escapeLineSeparators(text);
  raw.end(escaped);
  outcome.noteBytesWritten(Buffer.byteLength(escaped));
}

/** Resolves on `drain` or `close`, whichever comes first, leaving no listener behind. */
function drainedOrClosed(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

/**
 * Writes the keep-alive text whenever nothing was read for the interval (the loop re-arms it after
 * every read). A client that is not reading gets none: its buffer is full already.
 */
function keepAliveTimer(raw: ServerResponse, outcome: RequestOutcomeRecorder, keepAlive: NonNullable<StreamBody['keepAlive']>): NodeJS.Timeout {
  const timer = setInterval(() => {
    if (raw.destroyed || raw.writableNeedDrain) return;
    const text = keepAlive.text();
    if (text.length > 0) write(raw, outcome, text);
  }, keepAlive.intervalMs);
  timer.unref();
  return timer;
}
