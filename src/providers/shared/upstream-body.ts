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
  const wrapped = new UndiciUpstreamBody(body, wait, startedAt, times);
  // The body's last byte: an event listener, not a promise hop on the way to the reader.
  if (wait !== undefined) body.once('end', () => wrapped.count(true));
  return wrapped;
}

/**
 * One object per upstream answer, its methods on the prototype: a literal with a computed key
 * (`[Symbol.asyncIterator]`) and seven closures would cost a slow property definition and a
 * closure each per request.
 */
class UndiciUpstreamBody implements UpstreamBody {
  private readonly body: UndiciBody;
  private readonly wait: UpstreamWait | undefined;
  private readonly startedAt: number;
  private readonly times: WireTimes | undefined;
  private counted: boolean;

  constructor(body: UndiciBody, wait: UpstreamWait | undefined, startedAt: number, times: WireTimes | undefined) {
    this.body = body;
    this.wait = wait;
    this.startedAt = startedAt;
    this.times = times;
    this.counted = wait === undefined;
  }

  count(whole: boolean): void {
    const wait = this.wait;
    if (this.counted || wait === undefined) return;
    this.counted = true;
    wait.ms += upstreamWaitMs(whole ? this.times : undefined, this.startedAt, performance.now());
    wait.reported = true;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.count(false);
    return this.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  }

  text(): Promise<string> {
    return this.body.text();
  }

  json(): Promise<unknown> {
    return this.body.json();
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.body.arrayBuffer());
  }

  chunks(): AsyncIterable<Uint8Array> {
    this.count(false);
    return this.body.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
  }

  async drain(options: { limitBytes?: number; signal?: AbortSignal } = {}): Promise<void> {
    const dump: { limit: number; signal?: AbortSignal } = { limit: options.limitBytes ?? DEFAULT_DRAIN_LIMIT_BYTES };
    if (options.signal !== undefined) dump.signal = options.signal;
    await this.body.dump(dump).catch(() => undefined);
  }

  destroy(): void {
    const body = this.body;
    // Destroying an unfinished undici body emits an abort error; nobody is reading any more.
    body.on('error', () => undefined);
    body.destroy();
  }
}
