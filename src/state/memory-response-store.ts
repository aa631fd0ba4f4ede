import { DEFAULT_RESPONSE_RETENTION, type ResponseRetention, type ResponseStore, type StoredResponse } from './response-store.ts';

interface Held {
  /** The entry as JSON text: a copy the caller cannot change, and its size. */
  text: string;
  storedAt: number;
}

/**
 * A bounded in-memory ResponseStore: responses live as long as the process, within the
 * retention limit (count, bytes, age), the oldest dropped first. Entries are kept as JSON text,
 * so what `get` returns is always a fresh copy and the byte limit measures what is really held.
 */
export class MemoryResponseStore implements ResponseStore {
  private readonly entries = new Map<string, Held>();
  private readonly retention: ResponseRetention;
  private readonly now: () => number;
  private bytes = 0;

  constructor(retention: Partial<ResponseRetention> = {}, now: () => number = Date.now) {
    this.retention = { ...DEFAULT_RESPONSE_RETENTION, ...retention };
    this.now = now;
  }

  /** How many responses are held now. */
  get size(): number {
    return this.entries.size;
  }

  put(entry: StoredResponse): Promise<void> {
    const text = JSON.stringify(entry);
    this.remove(entry.id);
    // One response larger than the whole budget is not kept at all, rather than emptying the store.
    if (text.length <= this.retention.maxBytes) {
      this.entries.set(entry.id, { text, storedAt: this.now() });
      this.bytes += text.length;
    }
    this.evict();
    return Promise.resolve();
  }

  get(id: string): Promise<StoredResponse | undefined> {
    this.evict();
    const held = this.entries.get(id);
    return Promise.resolve(held === undefined ? undefined : (JSON.parse(held.text) as StoredResponse));
  }

  delete(id: string): Promise<boolean> {
    this.evict();
    return Promise.resolve(this.remove(id));
  }

  private remove(id: string): boolean {
    const held = this.entries.get(id);
    if (held === undefined) return false;
    this.entries.delete(id);
    this.bytes -= held.text.length;
    return true;
  }

  /** Drops expired responses, then the oldest until the count and byte limits hold. */
  private evict(): void {
    const oldestAllowed = this.now() - this.retention.maxAgeMs;
    for (const [id, held] of this.entries) {
      const over = this.entries.size > this.retention.maxEntries || this.bytes > this.retention.maxBytes;
      if (!over && held.storedAt >= oldestAllowed) break;
      this.remove(id);
    }
  }
}
