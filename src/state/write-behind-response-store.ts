import type { FastifyBaseLogger } from 'fastify';
import type { PersistentResponseStore } from './persistent-response-store.ts';
import type { ResponseStore, StoredResponse } from './response-store.ts';

/** Responses waiting are written at least this often… */
export const RESPONSE_FLUSH_INTERVAL_MS = 1000;
/** …and at once when this many wait. */
export const RESPONSE_BATCH_SIZE = 200;
/** Expired responses are looked for this often (and once on start). */
export const RESPONSE_PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** Rows deleted per step while pruning; the event loop gets a turn between steps. */
export const RESPONSE_PRUNE_STEP = 500;

export interface WriteBehindResponseStoreOptions {
  store: PersistentResponseStore;
  /** Oldest a response may get, in milliseconds, before it is no longer found and is pruned. */
  maxAgeMs: number;
  log: FastifyBaseLogger;
  now?: () => number;
}

/**
 * A database-backed ResponseStore whose writes never hold up a request: `put` keeps the response
 * in memory (as JSON text, so callers get copies) and it is written in one transaction per batch,
 * on a timer or when the batch fills. Until then `get` answers from memory, so a
 * `previous_response_id` sent right after the answer finds it. A failed write keeps the responses
 * waiting (and readable) for the next try. Responses older than the retention are not found and
 * are pruned on start and every hour, in short steps. close() writes whatever waits.
 */
export class WriteBehindResponseStore implements ResponseStore {
  private readonly store: PersistentResponseStore;
  private readonly maxAgeMs: number;
  private readonly log: FastifyBaseLogger;
  private readonly now: () => number;
  /** Responses not yet written, by id, as the JSON text of their StoredResponse. */
  private readonly pending = new Map<string, string>();
  private readonly flushTimer: NodeJS.Timeout;
  private readonly pruneTimer: NodeJS.Timeout;
  private writing: Promise<void> | undefined;
  private pruning: Promise<number> | undefined;
  private flushSoon = false;
  private closed = false;

  constructor(options: WriteBehindResponseStoreOptions) {
    this.store = options.store;
    this.maxAgeMs = options.maxAgeMs;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.flushTimer = setInterval(() => void this.flush(), RESPONSE_FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), RESPONSE_PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    setImmediate(() => void this.prune());
  }

  /** Responses waiting to be written. */
  get pendingCount(): number {
    return this.pending.size;
  }

  put(entry: StoredResponse): Promise<void> {
    this.pending.set(entry.id, JSON.stringify(entry));
    if (this.pending.size >= RESPONSE_BATCH_SIZE && !this.flushSoon) {
      this.flushSoon = true;
      setImmediate(() => {
        this.flushSoon = false;
        void this.flush();
      });
    }
    return Promise.resolve();
  }

  async get(id: string): Promise<StoredResponse | undefined> {
    const waiting = this.pending.get(id);
    const entry = waiting === undefined ? await this.store.get(id) : (JSON.parse(waiting) as StoredResponse);
    if (entry === undefined || entry.createdAt * 1000 < this.now() - this.maxAgeMs) return undefined;
    return entry;
  }

  async delete(id: string): Promise<boolean> {
    const waiting = this.pending.delete(id);
    // A write under way may hold this response: delete after it.
    while (this.writing !== undefined) await this.writing;
    const written = await this.store.delete(id);
    return waiting || written;
  }

  /** Writes every waiting response (after a write under way). */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    if (this.pending.size === 0) return;
    const batch = new Map(this.pending);
    this.writing = this.store.putMany([...batch.values()].map((text) => JSON.parse(text) as StoredResponse)).then(
      () => {
        // Put again or deleted while the batch was written: the newer state stays.
        for (const [id, text] of batch) if (this.pending.get(id) === text) this.pending.delete(id);
      },
      (error: unknown) => {
        this.log.warn(
          { err: error, waiting: this.pending.size },
          `could not write stored responses (kept in memory for the next try): ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  /** Deletes the responses past the retention, in steps; returns how many. */
  async prune(): Promise<number> {
    if (this.pruning !== undefined) return this.pruning;
    const run = async (): Promise<number> => {
      let deleted = 0;
      for (;;) {
        if (this.closed) return deleted;
        const step = await this.store.prune(this.now() - this.maxAgeMs, RESPONSE_PRUNE_STEP);
        deleted += step;
        if (step < RESPONSE_PRUNE_STEP) return deleted;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    this.pruning = run().then(
      (deleted) => {
        if (deleted > 0) this.log.info({ deleted }, `pruned ${deleted} stored response${deleted === 1 ? '' : 's'} past the retention`);
        return deleted;
      },
      (error: unknown) => {
        this.log.warn({ err: error }, `could not prune stored responses: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      },
    );
    try {
      return await this.pruning;
    } finally {
      this.pruning = undefined;
    }
  }

  /** Stops the timers, waits for a prune under way and writes what waits. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.flushTimer);
    clearInterval(this.pruneTimer);
    await this.pruning;
    await this.flush();
  }
}
