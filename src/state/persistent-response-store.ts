import type { ResponseStore, StoredResponse } from './response-store.ts';

/**
 * Stored responses in a database (SQLite embedded, PostgreSQL shared). It keeps what it is given
 * until deleted or pruned; the age limit is applied by its caller (WriteBehindResponseStore),
 * which also keeps writes off the request path. Beyond ResponseStore:
 * - `putMany` writes a batch in one transaction (an id put again replaces its response).
 * - `prune` deletes at most `limit` responses created before `before` (epoch ms), oldest first,
 *   and says how many it deleted, so a caller can prune a large backlog in short steps.
 */
export interface PersistentResponseStore extends ResponseStore {
  putMany(entries: readonly StoredResponse[]): Promise<void>;
  prune(before: number, limit: number): Promise<number>;
  count(): Promise<number>;
}
