import { subscribe } from 'node:diagnostics_channel';
import type { Dispatcher } from 'undici';

/**
 * Time a request spent waiting on its upstream, for `x-llmux-overhead-ms`: from the moment the
 * request had left whole until the answer's last byte was parsed (for a stream, until its headers
 * arrived; see UpstreamResponseHandler). What llmux and its HTTP client do before and after (building and
 * writing the request, parsing the answer and handing it over, converting it) stays llmux's own time.
 */
export interface UpstreamWait {
  ms: number;
  /** Set once the HTTP client reported a wait: a provider that does not pass the clock leaves it false. */
  reported: boolean;
}

/**
 * One upstream request's times (performance.now(); NaN until seen): `sentAt` when its body had
 * been written whole, `endedAt` when the answer's last byte was parsed, `connecting` when sending
 * it opened a new connection (its connect and TLS handshake are upstream time, not llmux's).
 * llmux's own handler fills them in (dispatchNotingConnect); traceUpstreamRequest reads them from
 * undici's diagnostics channels (`undici:request:bodySent`, `undici:request:trailers`) for code
 * that uses `Dispatcher.request`, such as the bench's bare proxy.
 */
export interface WireTimes {
  sentAt: number;
  endedAt: number;
  connecting: boolean;
}

interface ChannelMessage {
  request?: object;
}

/** The times of the request undici is creating right now (set only around a synchronous dispatch). */
let claiming: WireTimes | undefined;
const timesOf = new WeakMap<object, WireTimes>();
let subscribedToConnects = false;
let subscribedToRequests = false;

function subscribeToConnects(): void {
  if (subscribedToConnects) return;
  subscribedToConnects = true;
  // undici publishes `beforeConnect` for a new connection synchronously inside dispatch.
  subscribe('undici:client:beforeConnect', () => {
    if (claiming !== undefined) claiming.connecting = true;
  });
}

function subscribeOnce(): void {
  subscribeToConnects();
  if (subscribedToRequests) return;
  subscribedToRequests = true;
  // undici publishes `create` synchronously inside dispatch; the rest later, with the same request object.
  subscribe('undici:request:create', (message) => {
    const request = (message as ChannelMessage).request;
    if (claiming === undefined || request === undefined) return;
    timesOf.set(request, claiming);
  });
  subscribe('undici:request:bodySent', (message) => {
    const request = (message as ChannelMessage).request;
    const times = request === undefined ? undefined : timesOf.get(request);
    if (times !== undefined) times.sentAt = performance.now();
  });
  subscribe('undici:request:trailers', (message) => {
    const request = (message as ChannelMessage).request;
    const times = request === undefined ? undefined : timesOf.get(request);
    if (times !== undefined) times.endedAt = performance.now();
  });
}

/**
 * Runs `dispatch` (which must create its undici request synchronously, as `Dispatcher.request`
 * does) and returns the times the diagnostics channels will fill in for that request.
 */
export function traceUpstreamRequest<T>(dispatch: () => T): { result: T; times: WireTimes } {
  subscribeOnce();
  const times: WireTimes = { sentAt: Number.NaN, endedAt: Number.NaN, connecting: false };
  claiming = times;
  try {
    return { result: dispatch(), times };
  } finally {
    claiming = undefined;
  }
}

/**
 * Dispatches a request whose handler fills in its own `sentAt` and `endedAt` (onRequestSent,
 * onResponseEnd), noting in `times.connecting` whether the dispatch opened a new connection:
 * one diagnostics channel, published only for new connections, instead of three per request.
 */
export function dispatchNotingConnect(times: WireTimes, dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
  subscribeToConnects();
  claiming = times;
  try {
    dispatcher.dispatch(options, handler);
  } finally {
    claiming = undefined;
  }
}

/**
 * The wait of one upstream request that was dispatched at `startedAt` and whose answer is read
 * now: request sent whole → answer's last byte parsed, when undici reported both; from the dispatch
 * when it had to connect first (the connect is the upstream's); else dispatch → now.
 */
export function upstreamWaitMs(times: WireTimes | undefined, startedAt: number, now: number): number {
  if (times === undefined || Number.isNaN(times.endedAt)) return now - startedAt;
  if (times.connecting || Number.isNaN(times.sentAt)) return times.endedAt - startedAt;
  return times.endedAt - times.sentAt;
}
