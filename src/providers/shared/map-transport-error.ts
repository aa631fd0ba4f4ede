import { GatewayError } from '../../canonical/gateway-error.ts';
import { errors as undiciErrors } from 'undici';
import type { UpstreamTimeouts } from '../../wire/create-upstream-dispatcher.ts';

/** What the caller knows about the failed request, for a more precise error. */
export interface TransportErrorContext {
  /** The request's signal: when it fired, the failure is a cancellation whatever undici threw. */
  signal?: AbortSignal;
  timeouts?: UpstreamTimeouts;
  /** The proxy the request went through; only its host is ever shown. */
  proxy?: string;
}

/** Codes that mean the upstream was never reached (safe to retry or fall back, nothing was sent). */
const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

const BROKEN_CONNECTION_CODES: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  ETIMEDOUT: 'connection timed out',
};

/**
 * Transport failures as GatewayErrors naming the host and the phase: the signal fired →
 * `canceled`; connect / first-byte / idle timeouts → `timeout`; refused, reset, DNS and proxy
 * failures → `upstream` (retryable).
 */
export function mapTransportError(error: unknown, url: string, context: TransportErrorContext = {}): GatewayError {
  if (error instanceof GatewayError) return error;
  if (context.signal?.aborted === true) {
    const reason: unknown = context.signal.reason;
    return reason instanceof GatewayError ? reason : new GatewayError('canceled', 'request canceled', { cause: error });
  }
  const host = hostOf(url);
  const via = context.proxy === undefined ? '' : ` through proxy ${hostOf(context.proxy)}`;
  const timeouts = context.timeouts;
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    const limit = timeouts === undefined ? 'in time' : `within ${timeouts.connectMs} ms`;
    return new GatewayError('timeout', `could not connect to ${host}${via} ${limit} (connect timeout)`, { cause: error });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    const limit = timeouts === undefined ? 'in time' : `within ${timeouts.firstByteMs} ms`;
    return new GatewayError('timeout', `${host} sent no response ${limit} (first-byte timeout)`, { cause: error });
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    const limit = timeouts === undefined ? 'too long' : `for ${timeouts.idleMs} ms`;
    return new GatewayError('timeout', `${host} sent nothing ${limit} in the middle of the response (idle timeout)`, { cause: error });
  }
  const detail = describe(error);
  // undici reports a refused CONNECT as an abort: https://github.com/nodejs/undici/blob/main/lib/dispatcher/proxy-agent.js
  if (error instanceof Error && /^Proxy (response|Authentication)/.test(error.message)) {
    return new GatewayError('upstream', `proxy ${context.proxy === undefined ? '' : hostOf(context.proxy) + ' '}refused the request to ${host}: ${detail}`, {
      cause: error,
    });
  }
  if (error instanceof undiciErrors.RequestAbortedError || (error instanceof Error && error.name === 'AbortError')) {
    return new GatewayError('canceled', 'request canceled', { cause: error });
  }
  const code = errorCode(error);
  const unreachable = code === undefined ? undefined : UNREACHABLE_CODES[code];
  if (unreachable !== undefined) {
    return new GatewayError('upstream', `could not reach ${host}${via}: ${unreachable} (${detail})`, { cause: error });
  }
  const broken = code === undefined ? undefined : BROKEN_CONNECTION_CODES[code];
  const what = broken === undefined ? detail : `${broken} (${detail})`;
  return new GatewayError('upstream', `connection to ${host}${via} failed: ${what}`, { cause: error });
}

/** `host:port` only: proxy URLs carry credentials. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_CONNECT_TIMEOUT') return code;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
  }
  if (error instanceof Error) return error.message === '' ? (errorCode(error) ?? error.name) : error.message;
  return String(error);
}
