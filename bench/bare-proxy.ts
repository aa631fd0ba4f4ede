import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { traceUpstreamRequest, upstreamWaitMs } from '../src/providers/shared/upstream-wait.ts';
import { exposedGc } from '../src/server/idle-heap-collector.ts';
import { requestArrival } from '../src/server/request-arrival.ts';

/**
 * The ceiling llmux is measured against: a bare `node:http` server that forwards
 * `POST /v1/chat/completions` to the upstream through one keep-alive undici `Pool`, doing the same
 * JSON work a translating gateway cannot avoid — the request body parsed and re-serialised once,
 * a whole answer parsed and re-serialised once, each streamed SSE `data:` line parsed and
 * re-serialised once — and nothing else: no logging, no validation, no routing, no headers of
 * its own. Whatever llmux costs above this is what its features cost. Its one addition: a whole
 * answer carries `x-llmux-overhead-ms` computed exactly as llmux computes it (first byte of the
 * request → hand-off of the answer, less the upstream wait, with llmux's own clocks), so the bench
 * can tell how much of a proxy's added latency no clock inside the process sees.
 *
 * `--fastify`: the same work inside one Fastify route (Fastify's own JSON body parser, `reply.send`
 * of the serialised answer, a hijacked reply for streams): what the framework alone costs on top.
 *
 * Run by `run-bench.ts` as its own process (`--upstream-port`), answering `{type:'ready', port}`
 * over IPC once it listens, and `{type:'collected'}` to `{type:'collect'}` (see below).
 */

const { values } = parseArgs({ options: { 'upstream-port': { type: 'string' }, port: { type: 'string', default: '0' }, fastify: { type: 'boolean', default: false } } });
const upstreamPort = Number(values['upstream-port']);
if (!Number.isInteger(upstreamPort) || upstreamPort <= 0) throw new Error('--upstream-port is required');

// No cap on connections, as llmux's upstream client has none: a held stream keeps its connection, and
// the memory section holds 1,000 of them through this proxy too.
const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: null, pipelining: 1, keepAliveTimeout: 60_000 });

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

/** Each complete `data:` line of an SSE text parsed and re-serialised; the incomplete tail is returned. */
function reencodeLines(text: string, write: (line: string) => void): string {
  let start = 0;
  for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
    const line = text.slice(start, end);
    start = end + 1;
    if (line.startsWith('data: {')) write('data: ' + JSON.stringify(JSON.parse(line.slice(6)) as unknown) + '\n');
    else write(line + '\n');
  }
  return text.slice(start);
}

/** How a whole answer is sent: by node:http itself, or by Fastify's `reply.send`. */
type SendWhole = (status: number, answer: string, overheadMs: string) => void;

async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
  await forwardParsed(request, () => response, body, (status, answer, overheadMs) => {
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer), 'x-llmux-overhead-ms': overheadMs });
    response.end(answer);
  });
}

/** `streamTo`: where a stream is written (called once, when the answer is a stream). */
async function forwardParsed(request: IncomingMessage, streamTo: () => ServerResponse, body: Record<string, unknown>, sendWhole: SendWhole): Promise<void> {
  const startedAt = performance.now();
  const traced = traceUpstreamRequest(() =>
    pool.request({
      path: request.url ?? '/',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-not-a-real-key' },
      body: JSON.stringify(body),
    }),
  );
  const upstream = await traced.result;
  if (body.stream !== true) {
    const answer = JSON.stringify(await upstream.body.json());
    const now = performance.now();
    const overhead = now - requestArrival.of(request) - upstreamWaitMs(traced.times, startedAt, now);
    sendWhole(upstream.statusCode, answer, overhead.toFixed(3));
    return;
  }
  const response = streamTo();
  response.writeHead(upstream.statusCode, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let pending = '';
  upstream.body.setEncoding('utf8');
  for await (const chunk of upstream.body) {
    let out = '';
    pending = reencodeLines(pending + (chunk as string), (line) => (out += line));
    if (out.length > 0) response.write(out);
  }
  response.end(pending);
}

async function fastifyServer(): Promise<Server> {
  const app = Fastify({ logger: false });
  app.post('/*', async (request, reply) => {
    const streamTo = (): ServerResponse => {
      reply.hijack();
      return reply.raw;
    };
    await forwardParsed(request.raw, streamTo, request.body as Record<string, unknown>, (status, answer, overheadMs) => {
      void reply.code(status).header('content-type', 'application/json').header('x-llmux-overhead-ms', overheadMs).send(answer);
    });
    return reply;
  });
  await app.ready();
  return app.server;
}

const server = values.fastify ? await fastifyServer() : createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  forward(request, response).catch((error: unknown) => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(error instanceof Error ? error.message : String(error));
  });
});
requestArrival.watch(server);
server.keepAliveTimeout = 60_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  if (process.send !== undefined) process.send({ type: 'ready', port });
  else console.log(`bare proxy on http://127.0.0.1:${port} → upstream :${upstreamPort}`);
});
// `{type:'collect'}`: one full collection that gives the freed pages back, as llmux's idle collector
// runs it (src/server/idle-heap-collector.ts), when started with `--expose-gc`; answered `collected`.
process.on('message', (message: unknown) => {
  if (typeof message !== 'object' || message === null || !('type' in message) || message.type !== 'collect') return;
  const collect = exposedGc();
  collect?.();
  process.send?.({ type: 'collected', collected: collect !== undefined });
});
process.on('disconnect', () => {
  server.close();
  void pool.close();
  process.exit(0);
});
