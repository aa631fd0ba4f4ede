import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { KeyHeadroom } from '../providers/shared/key-headroom.ts';
import type { ProviderKeyHeadroom } from './provider-key-headroom.ts';
import { keyCooldownEvents } from './key-cooldown-events.ts';
import type { RequestOutcome } from './request-outcome.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
const TOKEN_KINDS = [
  ['input', (o: RequestOutcome) => o.usage?.input.total],
  ['cached_input', (o: RequestOutcome) => o.usage?.input.cacheRead],
  ['cache_write', (o: RequestOutcome) => o.usage?.input.cacheWrite],
  ['output', (o: RequestOutcome) => o.usage?.output.total],
  ['reasoning', (o: RequestOutcome) => o.usage?.output.reasoning],
] as const;

/**
 * llmux's Prometheus metrics (prom-client, a registry of its own), fed from request outcomes.
 * Label values come from llmux's own routing, never from raw client input: a model name is
 * labelled only once it routed, so a client cannot grow the series without bound.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly duration: Histogram;
  private readonly ttft: Histogram;
  private readonly overhead: Histogram;
  private readonly tokens: Counter;
  private readonly cost: Counter;
  private readonly upstreamErrors: Counter;
  private readonly retries: Counter;
  private readonly fallbacks: Counter;
  private readonly openStreams: Gauge;
  private readonly stopCooldowns: () => void;

  /**
   * `usageQueueDepth`: records waiting to be written; `keyHeadroom`: what each provider key has
   * left before its rate limit (Cerebras's `x-ratelimit-*` headers). Both are read at scrape time.
   */
  constructor(usageQueueDepth: () => number = () => 0, keyHeadroom: () => ProviderKeyHeadroom[] = () => []) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'llmux_process_' });
    this.requests = new Counter({ name: 'llmux_requests_total', help: 'Requests by inbound protocol, route, requested model, provider and status', labelNames: ['protocol', 'route', 'model', 'provider', 'status'], registers });
    this.duration = new Histogram({ name: 'llmux_request_duration_seconds', help: 'Request arrival to response end', labelNames: ['protocol', 'route', 'streamed'], buckets: LATENCY_BUCKETS, registers });
    this.ttft = new Histogram({ name: 'llmux_time_to_first_token_seconds', help: 'Request arrival to first output byte written', labelNames: ['protocol', 'model', 'provider'], buckets: LATENCY_BUCKETS, registers });
    this.overhead = new Histogram({ name: 'llmux_overhead_seconds', help: "llmux's own processing time: total less upstream and retry waits", buckets: OVERHEAD_BUCKETS, registers });
    this.tokens = new Counter({ name: 'llmux_tokens_total', help: 'Tokens by key, requested model, provider and kind (input includes cached_input and cache_write; output includes reasoning)', labelNames: ['key', 'model', 'provider', 'kind'], registers });
    this.cost = new Counter({ name: 'llmux_cost_usd_total', help: 'Spend in US dollars by key, requested model and provider', labelNames: ['key', 'model', 'provider'], registers });
    this.upstreamErrors = new Counter({ name: 'llmux_upstream_errors_total', help: 'Failed upstream attempts by provider and status', labelNames: ['provider', 'status'], registers });
    this.retries = new Counter({ name: 'llmux_retries_total', help: 'Upstream attempts repeated on the same provider', labelNames: ['provider'], registers });
    this.fallbacks = new Counter({ name: 'llmux_fallbacks_total', help: 'Requests passed on to another provider', labelNames: ['from', 'to'], registers });
    const cooldowns = new Counter({ name: 'llmux_key_cooldowns_total', help: 'Provider keys set aside for a while, by provider and reason', labelNames: ['provider', 'reason'], registers });
    this.stopCooldowns = keyCooldownEvents.subscribe((provider, reason) => cooldowns.inc({ provider, reason }));
    this.openStreams = new Gauge({ name: 'llmux_open_streams', help: 'Streaming responses being written now', registers });
    new Gauge({
      name: 'llmux_usage_queue_depth',
      help: 'Usage records waiting to be written',
      registers,
      collect() {
        this.set(usageQueueDepth());
      },
    });
    registerKeyHeadroomGauges(registers, keyHeadroom);
  }

  streamOpened(): void {
    this.openStreams.inc();
  }

  streamClosed(): void {
    this.openStreams.dec();
  }

  /** The outcome listener. */
  readonly observe = (outcome: RequestOutcome): void => {
    const provider = outcome.provider ?? '';
    const model = outcome.provider === undefined ? '' : (outcome.requestedModel ?? '');
    this.requests.inc({ protocol: outcome.protocol, route: outcome.route, model, provider, status: outcome.status });
    this.duration.observe({ protocol: outcome.protocol, route: outcome.route, streamed: String(outcome.streamed) }, outcome.totalMs / 1000);
    this.overhead.observe(outcome.overheadMs / 1000);
    if (outcome.ttftMs !== undefined) this.ttft.observe({ protocol: outcome.protocol, model, provider }, outcome.ttftMs / 1000);
    if (outcome.usage !== undefined) {
      const key = outcome.keyName ?? '';
      for (const [kind, read] of TOKEN_KINDS) {
        const count = read(outcome);
        if (count !== undefined && count > 0) this.tokens.inc({ key, model, provider, kind }, count);
      }
    }
    let previous: string | undefined;
    for (const attempt of outcome.attempts) {
      if (attempt.status >= 400) this.upstreamErrors.inc({ provider: attempt.provider, status: attempt.status });
      if (previous === attempt.provider) this.retries.inc({ provider: attempt.provider });
      else if (previous !== undefined) this.fallbacks.inc({ from: previous, to: attempt.provider });
      previous = attempt.provider;
    }
  };

  /** Adds a request's cost (from the usage recorder, which prices it). */
  addCost(keyName: string | undefined, requestedModel: string | undefined, provider: string, usd: number): void {
    this.cost.inc({ key: keyName ?? '', model: requestedModel ?? '', provider }, usd);
  }

  close(): void {
    this.stopCooldowns();
  }
}

/**
 * Per provider key (labelled by its position, `#1`…, never by any part of the key): what the
 * upstream last reported left, less what llmux has reserved since, and when it resets (Unix
 * seconds). A series is absent while nothing is known, or once its reset has passed.
 */
function registerKeyHeadroomGauges(registers: Registry[], keyHeadroom: () => ProviderKeyHeadroom[]): void {
  const labelNames = ['provider', 'key'];
  const gauge = (name: string, help: string, read: (key: KeyHeadroom) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const { provider, keys } of keyHeadroom()) {
          for (const key of keys) {
            const value = read(key);
            if (value !== undefined) this.set({ provider, key: `#${key.position}` }, value);
          }
        }
      },
    });
  };
  const seconds = (epochMs: number | undefined): number | undefined => (epochMs === undefined ? undefined : epochMs / 1000);
  gauge('llmux_provider_key_tokens_remaining', "Tokens a provider key has left in the upstream's current window (Cerebras: per minute), as last reported less llmux's reservations since", (key) => key.tokensLeft);
  gauge('llmux_provider_key_tokens_reset_timestamp_seconds', "When a provider key's token window resets (Unix time)", (key) => seconds(key.tokensResetAt));
  gauge('llmux_provider_key_requests_remaining', "Requests a provider key has left in the upstream's current window (Cerebras: per day), as last reported", (key) => key.requestsLeft);
  gauge('llmux_provider_key_requests_reset_timestamp_seconds', "When a provider key's request window resets (Unix time)", (key) => seconds(key.requestsResetAt));
}
