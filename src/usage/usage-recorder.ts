import type { FastifyBaseLogger } from 'fastify';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { SpendBudget } from '../state/spend-budget.ts';
import type { UsageRecord } from '../state/usage-record.ts';
import type { UsageStore } from '../state/usage-store.ts';
import type { BudgetGuard } from './budget-guard.ts';
import { computeCost } from './compute-cost.ts';
import type { PriceTable } from './price-table.ts';
import { UsageRecordQueue } from './usage-record-queue.ts';

/** Records are written at least this often… */
export const USAGE_FLUSH_INTERVAL_MS = 1000;
/** …and at once when this many wait. */
export const USAGE_BATCH_SIZE = 500;

export interface UsageRecorderOptions {
  store: UsageStore;
  prices: PriceTable;
  budgets: BudgetGuard;
  log: FastifyBaseLogger;
  /** The budget of a key by name (stored or configured), for the 80 % warning. */
  budgetOf: (keyName: string) => SpendBudget | undefined;
  /** Told each priced request's cost (metrics). */
  onCost?: (outcome: RequestOutcome, usd: number) => void;
}

/**
 * Turns each request outcome into a priced usage record and queues it; the queue is written in
 * one transaction per batch, on a timer or when it fills, never while a request waits. A write
 * that fails keeps the records queued for the next try. close() writes whatever is left.
 */
export class UsageRecorder {
  private readonly options: UsageRecorderOptions;
  private readonly queue = new UsageRecordQueue();
  /** A batch whose write failed, written first at the next try. */
  private failed: UsageRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> | undefined;
  private flushSoon = false;
  /** Upstream models already warned about as unpriced, by provider (no string built per request to look one up). */
  private readonly unpriced = new Map<string, Set<string>>();
  private written = 0;

  constructor(options: UsageRecorderOptions) {
    this.options = options;
    this.timer = setInterval(() => void this.flush(), USAGE_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Records waiting to be written. */
  get queueDepth(): number {
    return this.failed.length + this.queue.length;
  }

  get recordsWritten(): number {
    return this.written;
  }

  /** The outcome listener: price, queue, count towards budgets. Synchronous and cheap. */
  readonly record = (outcome: RequestOutcome): void => {
    const cost = this.cost(outcome);
    this.queue.push(outcome, cost);
    if (cost !== undefined && cost > 0) {
      this.options.onCost?.(outcome, cost);
      this.options.budgets.record(outcome.keyName, cost, outcome.keyName === undefined ? undefined : this.options.budgetOf(outcome.keyName));
    }
    if (this.queueDepth >= USAGE_BATCH_SIZE && !this.flushSoon) {
      this.flushSoon = true;
      setImmediate(() => {
        this.flushSoon = false;
        void this.flush();
      });
    }
  };

  /** Writes every queued record (waiting for a write under way first). */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    if (this.queueDepth === 0) return;
    const taken = this.queue.take();
    const batch = this.failed.length === 0 ? taken : this.failed.concat(taken);
    this.failed = [];
    this.writing = this.options.store.append(batch).then(
      () => {
        this.written += batch.length;
      },
      (error: unknown) => {
        this.failed = batch;
        this.options.log.warn({ err: error, queued: this.queueDepth }, `could not write usage records (kept for the next try): ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private cost(outcome: RequestOutcome): number | undefined {
    const usage = outcome.usage;
    if (usage === undefined || outcome.provider === undefined || outcome.upstreamModel === undefined) return undefined;
    const found = this.options.prices.priceOf(outcome.provider, outcome.upstreamModel);
    if (found === undefined) {
      let warned = this.unpriced.get(outcome.provider);
      if (warned === undefined) this.unpriced.set(outcome.provider, (warned = new Set()));
      if (!warned.has(outcome.upstreamModel)) {
        warned.add(outcome.upstreamModel);
        const model = `${outcome.provider}/${outcome.upstreamModel}`;
        this.options.log.warn({ model }, `no price known for ${model}: its usage is recorded without a cost (add it under prices: in the config)`);
      }
      return undefined;
    }
    return computeCost(usage, found.price);
  }
}
