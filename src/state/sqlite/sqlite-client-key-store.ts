import { randomBytes } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { KeyNameTakenError, type ClientKeyPatch, type ClientKeyStore, type StoredClientKey } from '../client-key-store.ts';

interface KeyRow {
  name: string;
  prefix: string;
  hash: string;
  models: string | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: string | null;
  created_at: number;
  revoked_at: number | null;
}

/** Stored client keys in SQLite; every change bumps `keys_version` so running servers reload. */
export class SqliteClientKeyStore implements ClientKeyStore {
  private readonly db: DatabaseSync;
  private readonly versionQuery: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.versionQuery = db.prepare("SELECT value FROM meta WHERE name = 'keys_version'");
  }

  async insert(key: StoredClientKey): Promise<void> {
    const taken = this.db.prepare('SELECT 1 FROM client_keys WHERE name = ?').get(key.name);
    if (taken !== undefined) throw new KeyNameTakenError(key.name);
    this.changing(() => {
      this.db
        .prepare(
          `INSERT INTO client_keys (name, prefix, hash, models, rpm, tpm, budget_usd, budget_period, created_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          key.name,
          key.prefix,
          key.hash,
          key.models === undefined ? null : JSON.stringify(key.models),
          key.rpm ?? null,
          key.tpm ?? null,
          key.budget?.usd ?? null,
          key.budget?.period ?? null,
          key.createdAt,
          key.revokedAt ?? null,
        );
    });
  }

  async list(): Promise<StoredClientKey[]> {
    return (this.db.prepare('SELECT * FROM client_keys ORDER BY created_at, name').all() as unknown as KeyRow[]).map(fromRow);
  }

  async get(name: string): Promise<StoredClientKey | undefined> {
    const row = this.db.prepare('SELECT * FROM client_keys WHERE name = ?').get(name) as KeyRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  async update(name: string, patch: ClientKeyPatch): Promise<StoredClientKey | undefined> {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    if (patch.models !== undefined) {
      sets.push('models = ?');
      values.push(patch.models === null ? null : JSON.stringify(patch.models));
    }
    if (patch.rpm !== undefined) {
      sets.push('rpm = ?');
      values.push(patch.rpm);
    }
    if (patch.tpm !== undefined) {
      sets.push('tpm = ?');
      values.push(patch.tpm);
    }
    if (patch.budget !== undefined) {
      sets.push('budget_usd = ?', 'budget_period = ?');
      values.push(patch.budget?.usd ?? null, patch.budget?.period ?? null);
    }
    if (sets.length > 0) {
      this.changing(() => this.db.prepare(`UPDATE client_keys SET ${sets.join(', ')} WHERE name = ?`).run(...values, name));
    }
    return this.get(name);
  }

  async revoke(name: string, at: number): Promise<boolean> {
    let changed = false;
    this.changing(() => {
      changed = Number(this.db.prepare('UPDATE client_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(at, name).changes) > 0;
    });
    return changed;
  }

  async version(): Promise<number> {
    const row = this.versionQuery.get() as { value: string } | undefined;
    return Number(row?.value ?? 0);
  }

  async hashSecret(): Promise<Buffer> {
    const row = this.db.prepare("SELECT value FROM meta WHERE name = 'key_hash_secret'").get() as { value: string } | undefined;
    if (row !== undefined) return Buffer.from(row.value, 'base64');
    const secret = randomBytes(32);
    // Two processes creating it at once: the first one wins, both read the same.
    this.db.prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('key_hash_secret', ?)").run(secret.toString('base64'));
    return this.hashSecret();
  }

  /** Runs a change and bumps the version in one transaction. */
  private changing(change: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      change();
      this.db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'keys_version'").run();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

function fromRow(row: KeyRow): StoredClientKey {
  const key: StoredClientKey = { name: row.name, prefix: row.prefix, hash: row.hash, createdAt: row.created_at };
  if (row.models !== null) key.models = JSON.parse(row.models) as string[];
  if (row.rpm !== null) key.rpm = row.rpm;
  if (row.tpm !== null) key.tpm = row.tpm;
  if (row.budget_usd !== null && (row.budget_period === 'day' || row.budget_period === 'month')) key.budget = { usd: row.budget_usd, period: row.budget_period };
  if (row.revoked_at !== null) key.revokedAt = row.revoked_at;
  return key;
}
