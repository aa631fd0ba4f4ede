import { Agent, ProxyAgent, errors as undiciErrors, type Dispatcher } from 'undici';
import { GatewayError } from '../canonical/gateway-error.ts';

/** How long to wait for the upstream, per phase. */
export interface UpstreamTimeouts {
  connectMs: number;
  /** Request sent → response headers. */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
}

export const DEFAULT_UPSTREAM_TIMEOUTS: UpstreamTimeouts = { connectMs: 10_000, firstByteMs: 60_000, idleMs: 60_000 };

export interface UpstreamHttpClientOptions {
  timeouts?: Partial<UpstreamTimeouts>;
  /** `http://`, `https://` or `socks5://` proxy URL, credentials inline. */
  proxy?: string;
  /** Keep-alive connections per origin. */
  connections?: number;
}

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Buffer | Uint8Array;
  signal: AbortSignal;
}

export type UpstreamBody = Dispatcher.ResponseData['body'];

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Async-iterable bytes with `text()`, `json()` and `dump()`; always consume or dump it. */
  body: UpstreamBody;
}

/** The one way providers reach their upstream: keep-alive pools, proxy, timeouts, abort. */
export interface UpstreamHttpClient {
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

/** A header's first value, lower-case name. */
export function headerValue(headers: UpstreamResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createUpstreamHttpClient(options: UpstreamHttpClientOptions = {}): UpstreamHttpClient {
  const timeouts = { ...DEFAULT_UPSTREAM_TIMEOUTS, ...options.timeouts };
  const dispatcher = createDispatcher(options.proxy, timeouts, options.connections ?? 128);
  return {
    async request(request) {
      try {
        const url = new URL(request.url);
        const response = await dispatcher.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: request.signal,
          headersTimeout: timeouts.firstByteMs,
          bodyTimeout: timeouts.idleMs,
        });
        return { status: response.statusCode, headers: response.headers, body: response.body };
      } catch (error) {
        throw mapTransportError(error, request.url);
      }
    },
    close: () => dispatcher.close(),
  };
}

function createDispatcher(proxy: string | undefined, timeouts: UpstreamTimeouts, connections: number): Dispatcher {
  const common = { keepAliveTimeout: 30_000, connections, connect: { timeout: timeouts.connectMs } };
  if (proxy === undefined || proxy === '') return new Agent(common);
  const scheme = new URL(proxy).protocol;
  if (scheme === 'http:' || scheme === 'https:') return new ProxyAgent({ ...common, uri: proxy });
  throw new GatewayError('internal', `unsupported proxy scheme '${scheme}' (use http://, https:// or socks5://)`);
}

/** Transport failures as GatewayErrors: timeouts → timeout, abort → canceled, the rest → upstream. */
export function mapTransportError(error: unknown, url: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const host = safeHost(url);
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError('timeout', `could not connect to ${host} in time`, { cause: error });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return new GatewayError('timeout', `${host} sent no response in time`, { cause: error });
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError('timeout', `${host} stopped sending in the middle of the response`, { cause: error });
  }
  if (error instanceof Error && (error.name === 'AbortError' || error instanceof undiciErrors.RequestAbortedError)) {
    return new GatewayError('canceled', 'request canceled', { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  return new GatewayError('upstream', `could not reach ${host}: ${typeof code === 'string' ? code + ' ' : ''}${detail}`, {
    cause: error,
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
