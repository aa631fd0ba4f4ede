import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram.ts';
import type { KeyHeadroom } from '../providers/shared/key-headroom.ts';
import type { ProviderKeyHeadroom } from './provider-key-headroom.ts';
import { keyCooldownEvents } from './key-cooldown-events.ts';
import type { RequestOutcome, UpstreamAttempt } from './request-outcome.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
const TOKEN_KINDS = ['input', 'cached_input', 'cache_write', 'output', 'reasoning'] as const;
/**
 * How often the event-loop lag (`llmux_process_nodejs_eventloop_lag_*`) is sampled. prom-client's
 * 10 ms timer woke an idle gateway about 100 times a second (0.3 % of a core, doing nothing); at
 * 100 ms it wakes about 10 times. A stall of 100 ms or more still always shows, shorter ones in
 * proportion to their length.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * What the outcomes of one label set (protocol, route, model, provider, status, streamed, key)
 * added since the last scrape, and the histogram series they go to: found with one map lookup per
 * request, so counting a request builds no label object and hashes nothing.
 */
/** An outcome's label set, as the metrics cell key is built from it. */
interface LastLabels {
  readonly protocol: RequestOutcome['protocol'];
  readonly route: string;
  readonly model: string;
  readonly provider: string;
  readonly status: number;
  readonly streamed: boolean;
  readonly key: string;
  readonly cell: OutcomeCell;
}

/** Spend of one label set (key, model, provider) not yet handed to its counter. */
interface PendingCost {
  readonly labels: Readonly<Record<string, string>>;
  usd: number;
}

/** A cost's label set, as its pending entry's key is built from it. */
interface LastCostLabels {
  readonly key: string;
  readonly model: string;
  readonly provider: string;
  readonly spent: PendingCost;
}

interface OutcomeCell {
  readonly requestLabels: Readonly<Record<string, string | number>>;
  readonly tokenLabels: readonly Readonly<Record<string, string>>[];
  readonly duration: HistogramSeries;
  ttft: HistogramSeries | undefined;
  requests: number;
  /** Tokens by kind, in TOKEN_KINDS' order. */
  readonly tokens: Float64Array;
}

/**
 * llmux's Prometheus metrics (prom-client, a registry of its own), fed from request outcomes.
 * Label values come from llmux's own routing, never from raw client input: a model name is
 * labelled only once it routed, so a client cannot grow the series without bound.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly duration: BucketHistogram;
  private readonly ttft: BucketHistogram;
  private readonly overhead: HistogramSeries;
  private readonly tokens: Counter;
  private readonly cost: Counter;
  private readonly upstreamErrors: Counter;
  private readonly retries: Counter;
  private readonly fallbacks: Counter;
  private readonly openStreams: Gauge;
  private readonly stopCooldowns: () => void;
  private readonly cells = new Map<string, OutcomeCell>();
  /** The label set the last outcome had, and its cell: steady traffic finds it without building a key. */
  private last: LastLabels | undefined;
  /** Spend not yet added to its counter, by label set (kept, so a key's entry is made once). */
  private readonly pendingCost = new Map<string, PendingCost>();
  /** The label set the last cost had, and its entry: steady traffic finds it without building a key. */
  private lastCost: LastCostLabels | undefined;

  /**
   * `usageQueueDepth`: records waiting to be written; `keyHeadroom`: what each provider key has
   * left before its rate limit (Cerebras's `x-ratelimit-*` headers). Both are read at scrape time.
   */
  constructor(usageQueueDepth: () => number = () => 0, keyHeadroom: () => ProviderKeyHeadroom[] = () => []) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'llmux_process_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.requests = new Counter({ name: 'llmux_requests_total', help: 'Requests by inbound protocol, route, requested model, provider and status', labelNames: ['protocol', 'route', 'model', 'provider', 'status'], registers });
    this.duration = new BucketHistogram({ name: 'llmux_request_duration_seconds', help: 'Request arrival to response end', labelled: true, buckets: LATENCY_BUCKETS, registers });
    this.ttft = new BucketHistogram({ name: 'llmux_time_to_first_token_seconds', help: 'Request arrival to first output byte written', labelled: true, buckets: LATENCY_BUCKETS, registers });
    this.overhead = new BucketHistogram({ name: 'llmux_overhead_seconds', help: "llmux's own processing time: total less upstream and retry waits", labelled: false, buckets: OVERHEAD_BUCKETS, registers }).seriesFor('', {});
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

  /**
   * The outcome listener: adds the outcome to its label set's cell and histogram series. Counters
   * are handed to prom-client at the next scrape, one increment per label set.
   */
  readonly observe = (outcome: RequestOutcome): void => {
    const provider = outcome.provider ?? '';
    const model = outcome.provider === undefined ? '' : (outcome.requestedModel ?? '');
    const key = outcome.keyName ?? '';
    const last = this.last;
    let cell: OutcomeCell;
    if (
      last !== undefined &&
      last.protocol === outcome.protocol &&
      last.route === outcome.route &&
      last.model === model &&
      last.provider === provider &&
      last.status === outcome.status &&
      last.streamed === outcome.streamed &&
      last.key === key
    ) {
      cell = last.cell;
    } else {
      const cellKey = `${outcome.protocol}\u0000${outcome.route}\u0000${model}\u0000${provider}\u0000${outcome.status}\u0000${outcome.streamed}\u0000${key}`;
      cell = this.cells.get(cellKey) ?? this.newCell(cellKey, outcome, model, provider, key);
      this.last = { protocol: outcome.protocol, route: outcome.route, model, provider, status: outcome.status, streamed: outcome.streamed, key, cell };
    }
    cell.requests += 1;
    cell.duration.observe(outcome.totalMs / 1000);
    this.overhead.observe(outcome.overheadMs / 1000);
    if (outcome.ttftMs !== undefined) {
      cell.ttft ??= this.ttft.seriesFor(`${outcome.protocol}\u0000${model}\u0000${provider}`, { protocol: outcome.protocol, model, provider });
      cell.ttft.observe(outcome.ttftMs / 1000);
    }
    const usage = outcome.usage;
    if (usage !== undefined) {
      const tokens = cell.tokens;
      (tokens[0] as number) += positive(usage.input.total);
      (tokens[1] as number) += positive(usage.input.cacheRead);
      (tokens[2] as number) += positive(usage.input.cacheWrite);
      (tokens[3] as number) += positive(usage.output.total);
      (tokens[4] as number) += positive(usage.output.reasoning);
    }
    const attempts = outcome.attempts;
    if (attempts.length === 1 && (attempts[0] as UpstreamAttempt).status < 400) return;
    let previous: string | undefined;
    for (const attempt of attempts) {
      if (attempt.status >= 400) this.upstreamErrors.inc({ provider: attempt.provider, status: attempt.status });
      if (previous === attempt.provider) this.retries.inc({ provider: attempt.provider });
      else if (previous !== undefined) this.fallbacks.inc({ from: previous, to: attempt.provider });
      previous = attempt.provider;
    }
  };

  /** The metrics in Prometheus' text format, every outcome counted. */
  async text(): Promise<string> {
    this.flush();
    return this.registry.metrics();
  }

  /** Hands what the cells and the spend gathered since the last call to prom-client's counters. */
  flush(): void {
    for (const spent of this.pendingCost.values()) {
      if (spent.usd > 0) this.cost.inc(spent.labels, spent.usd);
      spent.usd = 0;
    }
    for (const cell of this.cells.values()) {
      if (cell.requests > 0) this.requests.inc(cell.requestLabels, cell.requests);
      cell.requests = 0;
      for (const [index, labels] of cell.tokenLabels.entries()) {
        const count = cell.tokens[index] as number;
        if (count > 0) this.tokens.inc(labels, count);
      }
      cell.tokens.fill(0);
    }
  }

  /** Adds a request's cost (from the usage recorder, which prices it). */
  addCost(keyName: string | undefined, requestedModel: string | undefined, provider: string, usd: number): void {
    const key = keyName ?? '';
    const model = requestedModel ?? '';
    const last = this.lastCost;
    if (last !== undefined && last.key === key && last.model === model && last.provider === provider) {
      last.spent.usd += usd;
      return;
    }
    const costKey = `${key}\u0000${model}\u0000${provider}`;
    let spent = this.pendingCost.get(costKey);
    if (spent === undefined) {
      spent = { labels: { key, model, provider }, usd: 0 };
      this.pendingCost.set(costKey, spent);
    }
    spent.usd += usd;
    this.lastCost = { key, model, provider, spent };
  }

  close(): void {
    this.stopCooldowns();
  }

  private newCell(cellKey: string, outcome: RequestOutcome, model: string, provider: string, key: string): OutcomeCell {
    const { protocol, route } = outcome;
    const streamed = String(outcome.streamed);
    const cell: OutcomeCell = {
      requestLabels: { protocol, route, model, provider, status: outcome.status },
      tokenLabels: TOKEN_KINDS.map((kind) => ({ key, model, provider, kind })),
      duration: this.duration.seriesFor(`${protocol}\u0000${route}\u0000${streamed}`, { protocol, route, streamed }),
      ttft: undefined,
      requests: 0,
      tokens: new Float64Array(TOKEN_KINDS.length),
    };
    this.cells.set(cellKey, cell);
    return cell;
  }
}

function positive(count: number | undefined): number {
  return count === undefined || count <= 0 ? 0 : count;
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
