import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import {
  fakeUpstreamCommandSchema,
  type FakeUpstreamSettings,
  type FakeUpstreamStats,
} from './fake-upstream-settings.ts';

/**
 * A minimal, fast Cerebras-like OpenAI-compatible upstream on raw `node:http`. Every answer is a
 * precomputed buffer so the fake spends as little CPU per request as possible: what the bench
 * measures should be the cost of the path under test, not of the fake.
 *
 * Run by `run-bench.ts` as its own child process (IPC: `configure`, `stats`), or by hand:
 * `node bench/fake-upstream.ts --port 8080 --chunks 20 --chunk-delay-ms 5`.
 */

export const FAKE_MODEL = 'bench-model';
/** The client key llmux is configured with in the bench; every load request sends it (the direct path and the bare proxy ignore it). */
export const BENCH_CLIENT_KEY = 'sk-llmux-bench-client';
/** The admin key of the llmux that measures memory: it reads `/metrics`. */
export const BENCH_ADMIN_KEY = 'sk-llmux-bench-admin';

// Shapes follow Cerebras' chat completion and chunk objects (reference/poe-and-cerebras.md B1):
// usage and time_info (seconds) arrive only in the final chunk, then `data: [DONE]`.
const CREATED = 1754550000;
const USAGE = { prompt_tokens: 12, completion_tokens: 16, total_tokens: 28 };
const TIME_INFO = { queue_time: 0.0002, prompt_time: 0.0012, completion_time: 0.0089, total_time: 0.0123, created: CREATED };
const CHUNK_HEAD = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: CREATED, model: FAKE_MODEL, system_fingerprint: 'fp_bench' };

const MODELS_BODY = Buffer.from(
  JSON.stringify({ object: 'list', data: [{ id: FAKE_MODEL, object: 'model', created: CREATED, owned_by: 'bench' }] }),
);
const COMPLETION_BODY = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: CREATED,
    model: FAKE_MODEL,
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }],
    usage: USAGE,
    time_info: TIME_INFO,
  }),
);
const BAD_REQUEST_BODY = Buffer.from(
  JSON.stringify({ message: 'request body is not JSON', type: 'invalid_request_error', param: null, code: 'bad_json' }),
);
const sseData = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;
// The role chunk and the first token go out in one write, so the first byte is also the first token.
const FIRST_CHUNKS = Buffer.from(
  sseData({ ...CHUNK_HEAD, choices: [{ index: 0, delta: { role: 'assistant' } }] }) +
    sseData({ ...CHUNK_HEAD, choices: [{ index: 0, delta: { content: 'Hello' } }] }),
);
const CONTENT_CHUNK = Buffer.from(sseData({ ...CHUNK_HEAD, choices: [{ index: 0, delta: { content: ' token' } }] }));
const FINAL_CHUNKS = Buffer.from(
  sseData({ ...CHUNK_HEAD, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: USAGE, time_info: TIME_INFO }) +
    'data: [DONE]\n\n',
);

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

export interface FakeUpstream {
  readonly port: number;
  configure(settings: FakeUpstreamSettings): void;
  stats(): FakeUpstreamStats;
  close(): Promise<void>;
}

export async function startFakeUpstream(initial: FakeUpstreamSettings, port = 0): Promise<FakeUpstream> {
  let settings = initial;
  const stats: FakeUpstreamStats = { type: 'stats', requests: 0, openStreams: 0, abortedStreams: 0, openRequests: 0, abortedRequests: 0, bytesStreamed: 0 };

  function streamChat(response: ServerResponse): void {
    const { streamChunks, chunkDelayMs } = settings;
    stats.openStreams += 1;
    let sent = 1;
    let timer: NodeJS.Timeout | undefined;
    response.once('close', () => {
      stats.openStreams -= 1;
      if (!response.writableFinished) stats.abortedStreams += 1;
      if (timer !== undefined) clearTimeout(timer);
    });
    response.writeHead(200, SSE_HEADERS);
    if (settings.wholeStreamInOneWrite === true) {
      const contents = Array.from({ length: streamChunks - 1 }, () => CONTENT_CHUNK);
      const whole = Buffer.concat([FIRST_CHUNKS, ...contents, FINAL_CHUNKS]);
      stats.bytesStreamed += whole.length;
      response.end(whole);
      return;
    }
    response.write(FIRST_CHUNKS);
    stats.bytesStreamed += FIRST_CHUNKS.length;
    if (chunkDelayMs === 0) {
      // As fast as the reader takes them: a full socket buffer pauses the writing until `drain`.
      const flood = (): void => {
        while (sent < streamChunks) {
          sent += 1;
          stats.bytesStreamed += CONTENT_CHUNK.length;
          if (!response.write(CONTENT_CHUNK)) {
            if (!response.destroyed) response.once('drain', flood);
            return;
          }
        }
        response.end(FINAL_CHUNKS);
      };
      flood();
      return;
    }
    const next = (): void => {
      timer = undefined;
      if (response.destroyed) return;
      if (sent >= streamChunks) {
        response.end(FINAL_CHUNKS);
        return;
      }
      response.write(CONTENT_CHUNK);
      stats.bytesStreamed += CONTENT_CHUNK.length;
      sent += 1;
      timer = setTimeout(next, chunkDelayMs);
    };
    timer = setTimeout(next, chunkDelayMs);
  }

  function answerChat(body: string, response: ServerResponse): void {
    let stream: boolean;
    try {
      stream = wantsStream(JSON.parse(body));
    } catch {
      response.writeHead(400, JSON_HEADERS);
      response.end(BAD_REQUEST_BODY);
      return;
    }
    if (stream) {
      streamChat(response);
    } else {
      response.writeHead(200, JSON_HEADERS);
      response.end(COMPLETION_BODY);
    }
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    stats.requests += 1;
    const path = request.url ?? '/';
    if (request.method === 'GET' && path.startsWith('/v1/models')) {
      response.writeHead(200, JSON_HEADERS);
      response.end(MODELS_BODY);
      return;
    }
    if (request.method === 'POST' && path.startsWith('/v1/chat/completions')) {
      // Open from arrival until its answer is finished or its connection is gone: an abort that
      // llmux does not pass on leaves it open, whether it waits for headers or streams.
      stats.openRequests += 1;
      response.once('close', () => {
        stats.openRequests -= 1;
        if (!response.writableFinished) stats.abortedRequests += 1;
      });
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        const { latencyMs } = settings;
        if (latencyMs === 0) {
          answerChat(body, response);
          return;
        }
        const timer = setTimeout(answerChat, latencyMs, body, response);
        response.once('close', () => clearTimeout(timer));
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }

  const server: Server = createServer({ keepAliveTimeout: 60_000 }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    configure(next) {
      settings = next;
    },
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function wantsStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'stream' in body && body.stream === true;
}

async function runAsChildProcess(): Promise<void> {
  const send = process.send?.bind(process);
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'latency-ms': { type: 'string', default: '0' },
      chunks: { type: 'string', default: '20' },
      'chunk-delay-ms': { type: 'string', default: '0' },
    },
  });
  const fake = await startFakeUpstream(
    { latencyMs: Number(values['latency-ms']), streamChunks: Number(values.chunks), chunkDelayMs: Number(values['chunk-delay-ms']) },
    Number(values.port),
  );
  if (send === undefined) {
    console.log(`fake upstream on http://127.0.0.1:${fake.port}/v1 (Ctrl-C to stop)`);
    return;
  }
  process.on('message', (message: unknown) => {
    const command = fakeUpstreamCommandSchema.parse(message);
    if (command.type === 'configure') {
      fake.configure(command.settings);
      send({ type: 'configured' });
    } else {
      send(fake.stats());
    }
  });
  // The orchestrator going away (even by a crash) ends the fake too.
  process.once('disconnect', () => void fake.close().then(() => process.exit(0)));
  send({ type: 'ready', port: fake.port });
}

if (import.meta.main) await runAsChildProcess();
