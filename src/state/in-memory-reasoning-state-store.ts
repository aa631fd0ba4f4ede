import type { ReasoningStateStore, ReplayState } from './reasoning-state-store.ts';

export interface InMemoryReasoningStateOptions {
  /** Most entries kept per kind; the least recently used go first. */
  maxEntries?: number;
  /** How long an entry is kept after it was last used. */
  ttlMs?: number;
  now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_TTL_MS = 6 * 60 * 60 * 1000;

interface Entry {
  state: ReplayState;
  expiresAt: number;
}

/**
 * The embedded reasoning-state store: two bounded least-recently-used maps (a Map keeps insertion
 * order, so re-inserting on use moves an entry to the back and the front is the oldest), with a
 * time to live so a long-running gateway holds only live conversations.
 */
export class InMemoryReasoningStateStore implements ReasoningStateStore {
  private readonly toolCalls = new Map<string, Entry>();
  private readonly responses = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: InMemoryReasoningStateOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  get isEmpty(): boolean {
    return this.toolCalls.size === 0 && this.responses.size === 0;
  }

  rememberToolCall(toolCallId: string, state: ReplayState): void {
    this.put(this.toolCalls, toolCallId, state);
  }

  recallToolCall(toolCallId: string): ReplayState | undefined {
    return this.get(this.toolCalls, toolCallId);
  }

  rememberResponse(responseId: string, state: ReplayState): void {
    this.put(this.responses, responseId, state);
  }

  recallResponse(responseId: string): ReplayState | undefined {
    return this.get(this.responses, responseId);
  }

  private put(map: Map<string, Entry>, key: string, state: ReplayState): void {
    map.delete(key);
    map.set(key, { state, expiresAt: this.now() + this.ttlMs });
    while (map.size > this.maxEntries) {
      const oldest = map.keys().next();
      if (oldest.done === true) break;
      map.delete(oldest.value);
    }
  }

  private get(map: Map<string, Entry>, key: string): ReplayState | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    map.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    entry.expiresAt = this.now() + this.ttlMs;
    map.set(key, entry);
    return entry.state;
  }
}
