import type { DegradedField } from '../canonical/degraded-field.ts';
import type { GatewayErrorKind } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { InputUsage, OutputUsage, Usage } from '../canonical/usage.ts';
import type { OutcomeResult, RequestOutcome, UpstreamAttempt } from '../observability/request-outcome.ts';
import { RequestIdColumn } from '../observability/request-id-column.ts';
import { SharedStrings } from '../observability/shared-strings.ts';
import type { LiveOutcomeView } from './live-outcome-view.ts';

/**
 * Where each number an outcome keeps sits in its row of `numbers`. NaN marks an absent optional
 * number (ttftMs, cacheRead, cacheWrite, reasoning): these come from a clock or from JSON, never NaN.
 */
const AT = {
  StartedAt: 0,
  Status: 1,
  TotalMs: 2,
  OverheadMs: 3,
  BytesOut: 4,
  TtftMs: 5,
  InputTotal: 6,
  CacheRead: 7,
  CacheWrite: 8,
  OutputTotal: 9,
  Reasoning: 10,
  QueueMs: 11,
  PromptMs: 12,
  CompletionMs: 13,
  TimingTotalMs: 14,
  AttemptStatus: 15,
  AttemptMs: 16,
} as const;
const NUMBERS_PER_ROW = 17;

/**
 * The latest finished requests, as the dashboard's live feed shows them, in parallel columns: the
 * numbers in typed arrays, the strings as references to one shared copy of each value (routes,
 * models, providers, key names), a randomUUID request id as 16 bytes. A kept outcome is then no
 * graph of objects (outcome, attempts, usage, timing, each with its own property store) that lives
 * long enough to be promoted to the old generation and collected by a mark-compact: keeping one
 * allocates nothing in the common case (one attempt, nothing degraded). The views are built again,
 * equal to `liveOutcomeView(outcome)`, only when read.
 */
export class OutcomeRing {
  readonly capacity: number;
  private size = 0;
  private next = 0;
  private readonly numbers: Float64Array;
  private readonly requestIds: RequestIdColumn;
  private readonly protocols: string[];
  private readonly routes: string[];
  private readonly requestedModels: (string | undefined)[];
  private readonly keyNames: (string | undefined)[];
  private readonly providers: (string | undefined)[];
  private readonly upstreamModels: (string | undefined)[];
  private readonly results: OutcomeResult[];
  private readonly errorKinds: (GatewayErrorKind | undefined)[];
  private readonly errorMessages: (string | undefined)[];
  private readonly streamed: Uint8Array;
  private readonly usageSources: (Usage['source'] | undefined)[];
  private readonly timingSources: (Timing['source'] | undefined)[];
  /** The one attempt of most requests, in columns (with AttemptStatus and AttemptMs). */
  private readonly attemptCounts: Uint8Array;
  private readonly attemptProviders: (string | undefined)[];
  private readonly attemptTypes: (string | undefined)[];
  private readonly attemptModels: (string | undefined)[];
  private readonly attemptErrorKinds: (GatewayErrorKind | undefined)[];
  /** Retries and fallbacks: two attempts or more, kept as they are (rare). */
  private readonly manyAttempts: (UpstreamAttempt[] | undefined)[];
  /** Dropped fields, kept as they are when there are any (rare). */
  private readonly degraded: (DegradedField[] | undefined)[];
  private readonly shared = new SharedStrings();

  constructor(capacity: number) {
    this.capacity = capacity;
    this.numbers = new Float64Array(capacity * NUMBERS_PER_ROW);
    this.requestIds = new RequestIdColumn(capacity);
    this.streamed = new Uint8Array(capacity);
    this.attemptCounts = new Uint8Array(capacity);
    const column = <T>(): T[] => new Array<T>(capacity).fill(undefined as T);
    this.protocols = column();
    this.routes = column();
    this.requestedModels = column();
    this.keyNames = column();
    this.providers = column();
    this.upstreamModels = column();
    this.results = column();
    this.errorKinds = column();
    this.errorMessages = column();
    this.usageSources = column();
    this.timingSources = column();
    this.attemptProviders = column();
    this.attemptTypes = column();
    this.attemptModels = column();
    this.attemptErrorKinds = column();
    this.manyAttempts = column();
    this.degraded = column();
  }

  get length(): number {
    return this.size;
  }

  /** Keeps an outcome in place of the oldest one once full. */
  push(outcome: RequestOutcome): void {
    const slot = this.next;
    this.next = (slot + 1) % this.capacity;
    if (this.size < this.capacity) this.size += 1;
    const numbers = this.numbers;
    const at = slot * NUMBERS_PER_ROW;
    numbers[at + AT.StartedAt] = outcome.startedAt;
    numbers[at + AT.Status] = outcome.status;
    numbers[at + AT.TotalMs] = outcome.totalMs;
    numbers[at + AT.OverheadMs] = outcome.overheadMs;
    numbers[at + AT.BytesOut] = outcome.bytesOut;
    numbers[at + AT.TtftMs] = outcome.ttftMs ?? Number.NaN;
    this.requestIds.set(slot, outcome.requestId);
    this.protocols[slot] = this.shared.of(outcome.protocol);
    this.routes[slot] = this.shared.of(outcome.route);
    this.requestedModels[slot] = this.shared.maybe(outcome.requestedModel);
    this.keyNames[slot] = this.shared.maybe(outcome.keyName);
    this.providers[slot] = this.shared.maybe(outcome.provider);
    this.upstreamModels[slot] = this.shared.maybe(outcome.upstreamModel);
    this.results[slot] = outcome.result;
    this.errorKinds[slot] = outcome.errorKind;
    this.errorMessages[slot] = outcome.errorMessage;
    this.streamed[slot] = outcome.streamed ? 1 : 0;
    this.degraded[slot] = outcome.degraded.length === 0 ? undefined : outcome.degraded;
    this.putUsage(slot, at, outcome.usage);
    this.putTiming(slot, at, outcome.upstreamTiming);
    this.putAttempts(slot, at, outcome.attempts);
  }

  /** The kept outcomes as views, newest first. */
  views(): LiveOutcomeView[] {
    const views: LiveOutcomeView[] = [];
    for (let age = 0; age < this.size; age++) views.push(this.view((this.next - 1 - age + this.capacity) % this.capacity));
    return views;
  }

  private view(slot: number): LiveOutcomeView {
    const numbers = this.numbers;
    const at = slot * NUMBERS_PER_ROW;
    // The keys in liveOutcomeView's order (the outcome's own, usage last), so the JSON is the same.
    const view: LiveOutcomeView = {
      requestId: this.requestIds.get(slot),
      startedAt: numbers[at + AT.StartedAt] as number,
      protocol: this.protocols[slot] as string,
      route: this.routes[slot] as string,
      attempts: this.attemptsAt(slot, at),
      status: numbers[at + AT.Status] as number,
      result: this.results[slot] as OutcomeResult,
      streamed: this.streamed[slot] === 1,
      totalMs: numbers[at + AT.TotalMs] as number,
      overheadMs: numbers[at + AT.OverheadMs] as number,
      bytesOut: numbers[at + AT.BytesOut] as number,
      degraded: this.degraded[slot] ?? [],
    };
    const requestedModel = this.requestedModels[slot];
    if (requestedModel !== undefined) view.requestedModel = requestedModel;
    const keyName = this.keyNames[slot];
    if (keyName !== undefined) view.keyName = keyName;
    const provider = this.providers[slot];
    if (provider !== undefined) view.provider = provider;
    const upstreamModel = this.upstreamModels[slot];
    if (upstreamModel !== undefined) view.upstreamModel = upstreamModel;
    const errorKind = this.errorKinds[slot];
    if (errorKind !== undefined) view.errorKind = errorKind;
    const errorMessage = this.errorMessages[slot];
    if (errorMessage !== undefined) view.errorMessage = errorMessage;
    const ttftMs = numbers[at + AT.TtftMs] as number;
    if (!Number.isNaN(ttftMs)) view.ttftMs = ttftMs;
    const timingSource = this.timingSources[slot];
    if (timingSource !== undefined) {
      view.upstreamTiming = {
        queueMs: numbers[at + AT.QueueMs] as number,
        promptMs: numbers[at + AT.PromptMs] as number,
        completionMs: numbers[at + AT.CompletionMs] as number,
        totalMs: numbers[at + AT.TimingTotalMs] as number,
        source: timingSource,
      };
    }
    const usageSource = this.usageSources[slot];
    if (usageSource !== undefined) {
      const input: InputUsage = { total: numbers[at + AT.InputTotal] as number };
      putPresent(input, 'cacheRead', numbers[at + AT.CacheRead] as number);
      putPresent(input, 'cacheWrite', numbers[at + AT.CacheWrite] as number);
      const output: OutputUsage = { total: numbers[at + AT.OutputTotal] as number };
      putPresent(output, 'reasoning', numbers[at + AT.Reasoning] as number);
      view.usage = { input, output, source: usageSource };
    }
    return view;
  }

  private putUsage(slot: number, at: number, usage: Usage | undefined): void {
    const numbers = this.numbers;
    this.usageSources[slot] = usage?.source;
    if (usage === undefined) return;
    numbers[at + AT.InputTotal] = usage.input.total;
    numbers[at + AT.CacheRead] = usage.input.cacheRead ?? Number.NaN;
    numbers[at + AT.CacheWrite] = usage.input.cacheWrite ?? Number.NaN;
    numbers[at + AT.OutputTotal] = usage.output.total;
    numbers[at + AT.Reasoning] = usage.output.reasoning ?? Number.NaN;
  }

  private putTiming(slot: number, at: number, timing: Timing | undefined): void {
    const numbers = this.numbers;
    this.timingSources[slot] = timing?.source;
    if (timing === undefined) return;
    numbers[at + AT.QueueMs] = timing.queueMs;
    numbers[at + AT.PromptMs] = timing.promptMs;
    numbers[at + AT.CompletionMs] = timing.completionMs;
    numbers[at + AT.TimingTotalMs] = timing.totalMs;
  }

  private putAttempts(slot: number, at: number, attempts: UpstreamAttempt[]): void {
    const count = attempts.length;
    this.attemptCounts[slot] = Math.min(count, 2);
    const one = count === 1 ? (attempts[0] as UpstreamAttempt) : undefined;
    this.manyAttempts[slot] = count > 1 ? attempts : undefined;
    this.attemptProviders[slot] = one === undefined ? undefined : this.shared.of(one.provider);
    this.attemptTypes[slot] = one === undefined ? undefined : this.shared.of(one.providerType);
    this.attemptModels[slot] = one === undefined ? undefined : this.shared.of(one.model);
    this.attemptErrorKinds[slot] = one?.errorKind;
    if (one === undefined) return;
    this.numbers[at + AT.AttemptStatus] = one.status;
    this.numbers[at + AT.AttemptMs] = one.ms;
  }

  private attemptsAt(slot: number, at: number): UpstreamAttempt[] {
    const count = this.attemptCounts[slot];
    if (count === 0) return [];
    if (count !== 1) return this.manyAttempts[slot] ?? [];
    const attempt: UpstreamAttempt = {
      provider: this.attemptProviders[slot] as string,
      providerType: this.attemptTypes[slot] as string,
      model: this.attemptModels[slot] as string,
      status: this.numbers[at + AT.AttemptStatus] as number,
      ms: this.numbers[at + AT.AttemptMs] as number,
    };
    const errorKind = this.attemptErrorKinds[slot];
    if (errorKind !== undefined) attempt.errorKind = errorKind;
    return [attempt];
  }
}

function putPresent<T extends object>(target: T, key: keyof T & string, value: number): void {
  if (!Number.isNaN(value)) (target as Record<string, number>)[key] = value;
}
