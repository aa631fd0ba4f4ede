import type { Dispatcher } from 'undici';
import { upstreamWaitMs, type UpstreamWait, type WireTimes } from './upstream-wait.ts';

/**
 * An upstream response body as providers see it: llmux's own interface, so that no provider
 * depends on the HTTP library. Read it once — whole (`text`, `json`, `bytes`) or as chunks — and
 * then either let it end, `drain` what is left (the connection is reused) or `destroy` it (the
 * connection closes, which is how an upstream learns to stop generating). Read errors (idle
 * timeout, abort, broken connection) are already GatewayErrors.
 */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  json(): Promise<unknown>;
  bytes(): Promise<Uint8Array>;
  /** The chunks, leaving the body open when the reader stops early, to drain or destroy after. */
  chunks(): AsyncIterable<Uint8Array>;
  /**
   * Reads and discards what is left, up to `limitBytes` or until `signal` fires, so the keep-alive
   * connection can be reused. Never rejects: a body that cannot be drained is closed instead.
   */
  drain(options?: { limitBytes?: number; signal?: AbortSignal }): Promise<void>;
  /** Closes the connection at once; nothing is reported for it afterwards. */
  destroy(): void;
}

type UndiciBody = Dispatcher.ResponseData['body'];

/** undici's own default: past it, closing the connection is cheaper than reading on. */
const DEFAULT_DRAIN_LIMIT_BYTES = 128 * 1024;

/**
 * undici's body behind llmux's interface. With a `wait` clock, reading the body whole adds the time
 * from the request's leaving whole (`times`, from undici's diagnostics; `startedAt`, its dispatch,
 * where they are missing) to its last byte; reading it as chunks, from `startedAt` to the headers.
 * A body destroyed before its end adds nothing (the caller then counts its whole call).
 */
export function wrapUndiciBody(body: UndiciBody, wait?: UpstreamWait, startedAt = 0, times?: WireTimes): UpstreamBody {
  let counted = wait === undefined;
  const count = (whole: boolean): void => {
    if (counted || wait === undefined) return;
    counted = true;
    wait.ms += upstreamWaitMs(whole ? times : undefined, startedAt, performance.now());
    wait.reported = true;
  };
  // The body's last byte: an event listener, not a promise hop on the way to the reader.
  if (!counted) body.once('end', () => count(true));
  return {
    [Symbol.asyncIterator]: () => {
      count(false);
      return body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    },
    text: () => body.text(),
    json: () => body.json(),
    bytes: async () => new Uint8Array(await body.arrayBuffer()),
    chunks: () => {
      count(false);
      return body.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
    },
    drain: async (options = {}) => {
      const dump: { limit: number; signal?: AbortSignal } = { limit: options.limitBytes ?? DEFAULT_DRAIN_LIMIT_BYTES };
      if (options.signal !== undefined) dump.signal = options.signal;
      await body.dump(dump).catch(() => undefined);
    },
    destroy: () => {
      // Destroying an unfinished undici body emits an abort error; nobody is reading any more.
      body.on('error', () => undefined);
      body.destroy();
    },
  };
}
