import { RequestIdColumn } from '../observability/request-id-column.ts';
import { SharedStrings } from '../observability/shared-strings.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { UsageRecord } from '../state/usage-record.ts';

const FIRST_CAPACITY = 512;
/** Where each number of a record sits in its row (NaN, for ttftMs and costUsd: absent). */
const AT = { time: 0, attempts: 1, status: 2, inputTokens: 3, cachedInputTokens: 4, cacheWriteTokens: 5, outputTokens: 6, reasoningTokens: 7, ttftMs: 8, totalMs: 9, costUsd: 10 } as const;
const NUMBERS_PER_ROW = 11;
/** Bits of `present`: the optional numbers a record has (NaN is a value too). */
const HAS_TTFT = 1;
const HAS_COST = 2;

/**
 * The usage records of request outcomes (one per outcome), waiting for their batch write, as flat values in columns: the numbers in one
 * Float64Array, the strings as one shared copy of each value, a randomUUID request id as 16 bytes.
 * A queued record keeps no object of its own alive until the write (up to a second, and up to
 * USAGE_BATCH_SIZE requests: long enough to be promoted to the old generation); the records are
 * made when the batch is taken, and die young after the write.
 */
export class UsageRecordQueue {
  private size = 0;
  private numbers = new Float64Array(FIRST_CAPACITY * NUMBERS_PER_ROW);
  private present = new Uint8Array(FIRST_CAPACITY);
  private streamed = new Uint8Array(FIRST_CAPACITY);
  private readonly requestIds = new RequestIdColumn(FIRST_CAPACITY);
  private readonly strings = new SharedStrings();
  private keyNames: (string | undefined)[] = column(FIRST_CAPACITY);
  private protocols: (string | undefined)[] = column(FIRST_CAPACITY);
  private routes: (string | undefined)[] = column(FIRST_CAPACITY);
  private requestedModels: (string | undefined)[] = column(FIRST_CAPACITY);
  private providers: (string | undefined)[] = column(FIRST_CAPACITY);
  private upstreamModels: (string | undefined)[] = column(FIRST_CAPACITY);
  private results: (string | undefined)[] = column(FIRST_CAPACITY);

  get length(): number {
    return this.size;
  }

  /** Queues the usage record of an outcome, `costUsd` as priced by the caller. */
  push(outcome: RequestOutcome, costUsd: number | undefined): void {
    if (this.size === this.present.length) this.grow(this.size * 2);
    const row = this.size++;
    const numbers = this.numbers;
    const at = row * NUMBERS_PER_ROW;
    const usage = outcome.usage;
    numbers[at + AT.time] = outcome.startedAt;
    numbers[at + AT.attempts] = outcome.attempts.length;
    numbers[at + AT.status] = outcome.status;
    numbers[at + AT.inputTokens] = usage?.input.total ?? 0;
    numbers[at + AT.cachedInputTokens] = usage?.input.cacheRead ?? 0;
    numbers[at + AT.cacheWriteTokens] = usage?.input.cacheWrite ?? 0;
    numbers[at + AT.outputTokens] = usage?.output.total ?? 0;
    numbers[at + AT.reasoningTokens] = usage?.output.reasoning ?? 0;
    numbers[at + AT.ttftMs] = outcome.ttftMs === undefined ? 0 : hundredths(outcome.ttftMs);
    numbers[at + AT.totalMs] = hundredths(outcome.totalMs);
    numbers[at + AT.costUsd] = costUsd ?? 0;
    this.present[row] = (outcome.ttftMs === undefined ? 0 : HAS_TTFT) | (costUsd === undefined ? 0 : HAS_COST);
    this.streamed[row] = outcome.streamed ? 1 : 0;
    this.requestIds.set(row, outcome.requestId);
    const strings = this.strings;
    this.keyNames[row] = strings.maybe(outcome.keyName);
    this.protocols[row] = strings.of(outcome.protocol);
    this.routes[row] = strings.of(outcome.route);
    this.requestedModels[row] = strings.maybe(outcome.requestedModel);
    this.providers[row] = strings.maybe(outcome.provider);
    this.upstreamModels[row] = strings.maybe(outcome.upstreamModel);
    this.results[row] = outcome.result;
  }

  /** Every queued record, oldest first; the queue is empty after. */
  take(): UsageRecord[] {
    const records: UsageRecord[] = new Array<UsageRecord>(this.size);
    for (let row = 0; row < this.size; row++) {
      records[row] = this.record(row);
      this.requestIds.clear(row);
      // A string past SharedStrings' bound is this record's own: not kept until the row is reused.
      this.keyNames[row] = this.requestedModels[row] = this.providers[row] = this.upstreamModels[row] = undefined;
    }
    this.size = 0;
    return records;
  }

  private record(row: number): UsageRecord {
    const numbers = this.numbers;
    const at = row * NUMBERS_PER_ROW;
    // Optional keys after the others, in the order the records have always had (their JSON is unchanged).
    const record: UsageRecord = {
      time: numbers[at + AT.time] as number,
      requestId: this.requestIds.get(row),
      protocol: this.protocols[row] as string,
      route: this.routes[row] as string,
      attempts: numbers[at + AT.attempts] as number,
      status: numbers[at + AT.status] as number,
      result: this.results[row] as string,
      streamed: this.streamed[row] === 1,
      inputTokens: numbers[at + AT.inputTokens] as number,
      cachedInputTokens: numbers[at + AT.cachedInputTokens] as number,
      cacheWriteTokens: numbers[at + AT.cacheWriteTokens] as number,
      outputTokens: numbers[at + AT.outputTokens] as number,
      reasoningTokens: numbers[at + AT.reasoningTokens] as number,
      totalMs: numbers[at + AT.totalMs] as number,
    };
    const keyName = this.keyNames[row];
    if (keyName !== undefined) record.keyName = keyName;
    const requestedModel = this.requestedModels[row];
    if (requestedModel !== undefined) record.requestedModel = requestedModel;
    const provider = this.providers[row];
    if (provider !== undefined) record.provider = provider;
    const upstreamModel = this.upstreamModels[row];
    if (upstreamModel !== undefined) record.upstreamModel = upstreamModel;
    const present = this.present[row] as number;
    if ((present & HAS_TTFT) !== 0) record.ttftMs = numbers[at + AT.ttftMs] as number;
    if ((present & HAS_COST) !== 0) record.costUsd = numbers[at + AT.costUsd] as number;
    return record;
  }

  private grow(capacity: number): void {
    const numbers = new Float64Array(capacity * NUMBERS_PER_ROW);
    numbers.set(this.numbers);
    this.numbers = numbers;
    this.present = grown(this.present, capacity);
    this.streamed = grown(this.streamed, capacity);
    this.requestIds.grow(capacity);
    this.keyNames = this.keyNames.concat(column(capacity - this.keyNames.length));
    this.protocols = this.protocols.concat(column(capacity - this.protocols.length));
    this.routes = this.routes.concat(column(capacity - this.routes.length));
    this.requestedModels = this.requestedModels.concat(column(capacity - this.requestedModels.length));
    this.providers = this.providers.concat(column(capacity - this.providers.length));
    this.upstreamModels = this.upstreamModels.concat(column(capacity - this.upstreamModels.length));
    this.results = this.results.concat(column(capacity - this.results.length));
  }
}

/** Times are recorded to the hundredth of a millisecond. */
function hundredths(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function column(length: number): (string | undefined)[] {
  return new Array<string | undefined>(length).fill(undefined);
}

function grown(bytes: Uint8Array, capacity: number): Uint8Array<ArrayBuffer> {
  const larger = new Uint8Array(capacity);
  larger.set(bytes);
  return larger;
}
