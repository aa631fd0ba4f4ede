import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { PersistentResponseStore } from '../persistent-response-store.ts';
import type { JsonObject, StoredResponse } from '../response-store.ts';

interface ResponseRow {
  id: string;
  created_at: number;
  previous_response_id: string | null;
  response: string;
  input_items: string;
}

/**
 * Stored Responses API responses in SQLite: one row each, the response object and its input
 * items as JSON text; `created_at` (epoch ms) is indexed for pruning.
 */
export class SqliteResponseStore implements PersistentResponseStore {
  private readonly db: DatabaseSync;
  private readonly upsert: StatementSync;
  private readonly select: StatementSync;
  private readonly remove: StatementSync;
  private readonly pruneOldest: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.upsert = db.prepare(
      `INSERT INTO responses (id, created_at, previous_response_id, response, input_items) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, previous_response_id = excluded.previous_response_id,
         response = excluded.response, input_items = excluded.input_items`,
    );
    this.select = db.prepare('SELECT * FROM responses WHERE id = ?');
    this.remove = db.prepare('DELETE FROM responses WHERE id = ?');
    this.pruneOldest = db.prepare('DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE created_at < ? ORDER BY created_at LIMIT ?)');
  }

  async put(entry: StoredResponse): Promise<void> {
    await this.putMany([entry]);
  }

  async putMany(entries: readonly StoredResponse[]): Promise<void> {
    if (entries.length === 0) return;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const entry of entries) {
        this.upsert.run(entry.id, entry.createdAt * 1000, entry.previousResponseId ?? null, JSON.stringify(entry.response), JSON.stringify(entry.inputItems));
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async get(id: string): Promise<StoredResponse | undefined> {
    const row = this.select.get(id) as ResponseRow | undefined;
    if (row === undefined) return undefined;
    const entry: StoredResponse = {
      id: row.id,
      createdAt: row.created_at / 1000,
      response: JSON.parse(row.response) as JsonObject,
      inputItems: JSON.parse(row.input_items) as JsonObject[],
    };
    if (row.previous_response_id !== null) entry.previousResponseId = row.previous_response_id;
    return entry;
  }

  async delete(id: string): Promise<boolean> {
    return Number(this.remove.run(id).changes) > 0;
  }

  async prune(before: number, limit: number): Promise<number> {
    return Number(this.pruneOldest.run(before, limit).changes);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM responses').get() as { n: number }).n;
  }
}
