import type { UpstreamBody } from './upstream-body.ts';

export interface UpstreamEventStreamOptions<T> {
  /** Whether an event is the upstream's last word (its finish, or an error it sent properly). */
  isEnd(event: T): boolean;
  /** The most left-over bytes read after the end so that the connection is reused. */
  drainLimitBytes: number;
  /**
   * Wait for the drain before the stream ends, for at most this long (an upstream that ends its
   * body right after its last event); without it the drain runs on after the stream ended.
   */
  drainWaitMs?: number;
}

/**
 * A body decoded into events, and what becomes of the connection: once the upstream's last event
 * came, the rest of the body is drained so the keep-alive connection is reused; if the consumer
 * stops early (the client went away) or the body broke off, it is destroyed, which closes the
 * connection and ends generation upstream.
 */
export async function* streamUpstreamEvents<T>(
  body: UpstreamBody,
  decode: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<T>,
  options: UpstreamEventStreamOptions<T>,
): AsyncGenerator<T> {
  let ended = false;
  try {
    for await (const event of decode(body.chunks())) {
      if (options.isEnd(event)) ended = true;
      yield event;
    }
  } finally {
    if (!ended) body.destroy();
    else if (options.drainWaitMs === undefined) void body.drain({ limitBytes: options.drainLimitBytes });
    else await body.drain({ limitBytes: options.drainLimitBytes, signal: AbortSignal.timeout(options.drainWaitMs) });
  }
}
