import type { ConnectionOptions } from 'node:tls';
import { Agent, Pool, ProxyAgent, errors as undiciErrors, type Dispatcher } from 'undici';
import { GatewayError } from '../canonical/gateway-error.ts';
import { createSocks5Connector } from './socks5-connector.ts';

/**
 * How long to wait for the upstream, per phase. undici checks the connect, first-byte and idle
 * deadlines on a coarse clock (about half a second per tick), so they fire up to a second late;
 * the SOCKS5 handshake deadline is exact.
 */
export interface UpstreamTimeouts {
  /** TCP connect, plus the proxy handshake and TLS when there are any. */
  connectMs: number;
  /** Request sent → response headers. */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
}

export interface UpstreamDispatcherSettings {
  timeouts: UpstreamTimeouts;
  /** Most connections per origin; null for no limit (every concurrent stream needs its own). */
  connections: number | null;
  /** Extra TLS options (e.g. `ca`) for https upstreams and https proxies. */
  tls?: ConnectionOptions;
}

const KEEP_ALIVE_MS = 30_000;

/**
 * One keep-alive dispatcher for a proxy URL (or none): a plain `Agent`; undici's `ProxyAgent` for
 * http:// and https:// proxies, which tunnels https upstreams with CONNECT and sends plain-http
 * requests to the proxy in absolute form (RFC 9112 §3.2.2), as curl does; an `Agent` whose
 * connections are opened by the SOCKS5 connector for socks5:// and socks5h://.
 */
export function createUpstreamDispatcher(proxy: string | undefined, settings: UpstreamDispatcherSettings): Dispatcher {
  const { timeouts, connections, tls } = settings;
  const pooling = { keepAliveTimeout: KEEP_ALIVE_MS, connections };
  if (proxy === undefined) return new Agent({ ...pooling, connect: { ...tls, timeout: timeouts.connectMs } });
  const url = parseProxyUrl(proxy);
  if (url.protocol === 'socks5:' || url.protocol === 'socks5h:') {
    const connect = createSocks5Connector(tls === undefined ? { proxy, timeoutMs: timeouts.connectMs } : { proxy, timeoutMs: timeouts.connectMs, tls });
    return new Agent({ ...pooling, connect });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayError('internal', `unsupported proxy scheme '${url.protocol}' (use http://, https://, socks5:// or socks5h://)`);
  }
  return new ProxyAgent({
    ...pooling,
    uri: proxy,
    connectTimeout: timeouts.connectMs,
    proxyTls: { ...tls, timeout: timeouts.connectMs },
    requestTls: { ...tls, timeout: timeouts.connectMs },
    clientFactory: (origin, options) => createTunnelPool(origin, options, timeouts.connectMs),
  });
}

function parseProxyUrl(proxy: string): URL {
  try {
    return new URL(proxy);
  } catch {
    // Never echo the URL: it may hold credentials.
    throw new GatewayError('internal', 'the proxy setting is not a valid URL');
  }
}

/**
 * The pool that sends CONNECT to the proxy. undici gives a CONNECT no deadline of its own, so a
 * proxy that accepts the TCP connection and never answers would hold the request for the default
 * five-minute headers timeout; here it counts against the connect timeout and fails as one.
 */
function createTunnelPool(origin: URL, options: object, connectMs: number): Dispatcher {
  const pool = new Pool(origin, { ...options, headersTimeout: connectMs });
  const connect = pool.connect.bind(pool);
  const connectWithinDeadline = async (connectOptions: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> => {
    try {
      return await connect(connectOptions);
    } catch (error) {
      if (!(error instanceof undiciErrors.HeadersTimeoutError)) throw error;
      throw new undiciErrors.ConnectTimeoutError(`proxy ${origin.host} did not answer CONNECT ${connectOptions.path} within ${connectMs} ms`);
    }
  };
  // ProxyAgent only calls the promise form of connect(); an own property shadows the prototype's.
  Object.assign(pool, { connect: connectWithinDeadline });
  return pool;
}
