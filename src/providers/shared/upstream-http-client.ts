import { getCACertificates, type ConnectionOptions } from 'node:tls';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { createUpstreamDispatcher, type UpstreamDispatcherSettings, type UpstreamTimeouts } from '../../wire/create-upstream-dispatcher.ts';
import { EnvironmentProxySettings } from '../../wire/environment-proxy-settings.ts';
import { SENT_ONCE_MIN_CHARS, sentOnceBody } from './sent-once-body.ts';
import type { UpstreamBody } from './upstream-body.ts';
import { UpstreamResponseHandler } from './upstream-response-handler.ts';
import { dispatchNotingConnect, type UpstreamWait } from './upstream-wait.ts';

export const DEFAULT_UPSTREAM_TIMEOUTS: UpstreamTimeouts = { connectMs: 10_000, firstByteMs: 60_000, idleMs: 60_000 };

/** A parsed upstream URL and the proxy it goes through. */
interface UpstreamRoute {
  origin: string;
  path: string;
  proxy: string | undefined;
}

/** URLs with per-request parts (ids in the path) would grow the route cache without end; it starts over at this size. */
const MAX_CACHED_ROUTES = 256;

export interface UpstreamHttpClientOptions {
  timeouts?: Partial<UpstreamTimeouts>;
  /** `http://`, `https://`, `socks5://` or `socks5h://` proxy URL, credentials inline. Used for every request. */
  proxy?: string;
  /**
   * Where `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case) are read when
   * `proxy` is not set. Defaults to `process.env`; pass `{}` to ignore the environment.
   */
  environment?: Record<string, string | undefined>;
  /** Extra certificate authorities (PEM), trusted in addition to Node's default ones. */
  ca?: string | string[];
  /**
   * Most connections per origin. Unlimited by default: a streamed answer holds its connection for
   * its whole length, so any cap below the number of concurrent streams makes clients wait for
   * headers with no sign of why.
   */
  connections?: number | null;
}

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Buffer | Uint8Array;
  signal: AbortSignal;
  /** Told the time spent waiting on the upstream (dispatch → body read whole; for a stream, → headers). */
  wait?: UpstreamWait | undefined;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Always read, drain or destroy it. */
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
  const settings: UpstreamDispatcherSettings = { timeouts, connections: options.connections ?? null };
  const tls = tlsOptions(options.ca);
  if (tls !== undefined) settings.tls = tls;
  const explicitProxy = options.proxy === undefined || options.proxy === '' ? undefined : options.proxy;
  const environmentProxies = explicitProxy === undefined ? new EnvironmentProxySettings(options.environment ?? process.env) : undefined;
  // One keep-alive dispatcher per route ('' = direct), made once and reused by every request.
  const dispatchers = new Map<string, Dispatcher>();
  let closed = false;
  const dispatcherFor = (proxy: string | undefined): Dispatcher => {
    const key = proxy ?? '';
    let dispatcher = dispatchers.get(key);
    if (dispatcher === undefined) {
      dispatcher = createUpstreamDispatcher(proxy, settings);
      dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  };
  // Providers call a handful of fixed URLs: each is parsed, and its proxy chosen, once.
  const routes = new Map<string, UpstreamRoute>();
  const routeFor = (target: string): UpstreamRoute => {
    let route = routes.get(target);
    if (route !== undefined) return route;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new GatewayError('internal', `invalid upstream URL: ${target}`);
    }
    route = { origin: url.origin, path: url.pathname + url.search, proxy: explicitProxy ?? environmentProxies?.proxyFor(url) };
    if (routes.size >= MAX_CACHED_ROUTES) routes.clear();
    routes.set(target, route);
    return route;
  };
  // Build proxied dispatchers now so a malformed proxy URL fails at startup, not on a request.
  if (explicitProxy !== undefined) dispatcherFor(explicitProxy);
  for (const proxy of environmentProxies?.configuredProxies ?? []) dispatcherFor(proxy);

  return {
    request(request) {
      if (closed) return Promise.reject(new GatewayError('internal', 'the upstream HTTP client is closed'));
      const { url, wait } = request;
      const startedAt = wait === undefined ? 0 : performance.now();
      let route: UpstreamRoute;
      try {
        route = routeFor(url);
      } catch (error) {
        return Promise.reject(error as GatewayError);
      }
      const handler = new UpstreamResponseHandler(url, request.signal, timeouts, route.proxy, wait, startedAt);
      // A signal that has already fired: nothing is sent.
      if (handler.failed) return handler.response;
      try {
        const dispatcher = dispatcherFor(route.proxy);
        // A new object per request: undici's proxy dispatcher rewrites the path in place.
        const options: Dispatcher.DispatchOptions = {
          origin: route.origin,
          path: route.path,
          method: request.method,
          headers: request.headers,
          body: request.body,
          headersTimeout: timeouts.firstByteMs,
          bodyTimeout: timeouts.idleMs,
        };
        if (typeof request.body === 'string' && request.body.length >= SENT_ONCE_MIN_CHARS) {
          const once = sentOnceBody(request.body);
          options.body = once.body;
          options.headers = { ...request.headers, 'content-length': String(once.byteLength) };
        }
        if (wait === undefined) dispatcher.dispatch(options, handler);
        else dispatchNotingConnect(handler, dispatcher, options, handler);
      } catch (error) {
        handler.failWith(error);
      }
      return handler.response;
    },
    async close() {
      closed = true;
      await Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.close()));
    },
  };
}

/** Extra CAs are added to Node's defaults: a bare `ca` option would replace them. */
function tlsOptions(ca: string | string[] | undefined): ConnectionOptions | undefined {
  if (ca === undefined || ca.length === 0) return undefined;
  return { ca: [...getCACertificates('default'), ...(Array.isArray(ca) ? ca : [ca])] };
}
