import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeHttpServer, listenOnLoopback } from './loopback-server.ts';

/** One request the fake upstream received. */
export interface RecordedCall {
  method: string;
  path: string;
  /** The path with its query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Resolves true when the client closed the connection before the response ended. */
  aborted: Promise<boolean>;
}

export type FakeHandler = (call: RecordedCall, response: ServerResponse) => void | Promise<void>;

/**
 * A loopback HTTP server standing in for an upstream provider. Tests register handlers per
 * `METHOD /path` (query ignored) and read `calls` to assert what the upstream received.
 */
export class FakeUpstreamServer {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly server: Server;
  private port = 0;

  private constructor() {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(): Promise<FakeUpstreamServer> {
    const fake = new FakeUpstreamServer();
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  on(method: string, path: string, handler: FakeHandler): this {
    this.handlers.set(`${method} ${path}`, handler);
    return this;
  }

  /** Answer with a JSON body. */
  json(method: string, path: string, status: number, body: unknown, headers: Record<string, string> = {}): this {
    return this.on(method, path, (_call, response) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    });
  }

  /** Answer with raw chunks written one by one (SSE or NDJSON text), optionally spaced in time. */
  chunks(method: string, path: string, chunks: readonly (string | Uint8Array)[], options: { contentType?: string; delayMs?: number; status?: number } = {}): this {
    return this.on(method, path, async (_call, response) => {
      response.writeHead(options.status ?? 200, { 'content-type': options.contentType ?? 'text/event-stream' });
      for (const chunk of chunks) {
        if (response.destroyed) return;
        response.write(chunk);
        if (options.delayMs !== undefined) await sleep(options.delayMs);
      }
      response.end();
    });
  }

  /** The most recent call to a path. */
  lastCall(path: string): RecordedCall | undefined {
    for (let i = this.calls.length - 1; i >= 0; i--) if (this.calls[i]?.path === path) return this.calls[i];
    return undefined;
  }

  reset(): void {
    this.calls.length = 0;
    this.handlers.clear();
  }

  async close(): Promise<void> {
    await closeHttpServer(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readText(request);
    let json: unknown;
    try {
      json = body.length > 0 ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const aborted = new Promise<boolean>((resolve) => {
      response.once('close', () => resolve(!response.writableFinished));
    });
    const call: RecordedCall = { method: request.method ?? 'GET', path, url: request.url ?? '/', headers: request.headers, body, json, aborted };
    this.calls.push(call);
    const handler = this.handlers.get(`${call.method} ${path}`);
    if (handler === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `fake upstream has no handler for ${call.method} ${path}` } }));
      return;
    }
    try {
      await handler(call, response);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    }
  }
}

/** The request's body as text; its chunks go with this function's frame, not the handler's (which a held answer keeps suspended). */
async function readText(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
