import type { DatabaseSync } from 'node:sqlite';

/**
 * The schema, one step per version; a step is never edited once released, only followed by
 * another. Each runs in its own transaction and is recorded in `schema_migrations`.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: stored client keys, usage records, settings
  `CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE client_keys (
     name TEXT PRIMARY KEY,
     prefix TEXT NOT NULL,
     hash TEXT NOT NULL UNIQUE,
     models TEXT,
     rpm INTEGER,
     tpm INTEGER,
     budget_usd REAL,
     budget_period TEXT,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER
   );
   CREATE TABLE usage_records (
     id INTEGER PRIMARY KEY,
     time INTEGER NOT NULL,
     request_id TEXT NOT NULL,
     key_name TEXT,
     protocol TEXT NOT NULL,
     route TEXT NOT NULL,
     requested_model TEXT,
     provider TEXT,
     upstream_model TEXT,
     attempts INTEGER NOT NULL,
     status INTEGER NOT NULL,
     result TEXT NOT NULL,
     streamed INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     cached_input_tokens INTEGER NOT NULL,
     cache_write_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     reasoning_tokens INTEGER NOT NULL,
     ttft_ms REAL,
     total_ms REAL NOT NULL,
     cost_usd REAL
   );
   CREATE INDEX usage_records_time ON usage_records (time);
   INSERT INTO meta (name, value) VALUES ('keys_version', '0');`,
  // 2: stored Responses API responses (`store: true`), pruned by age
  `CREATE TABLE responses (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     previous_response_id TEXT,
     response TEXT NOT NULL,
     input_items TEXT NOT NULL
   );
   CREATE INDEX responses_created_at ON responses (created_at);`,
];

/** Brings the database to the newest schema version; refuses a database newer than this llmux. */
export function migrateSqlite(db: DatabaseSync, location: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null } | undefined;
  const current = row?.version ?? 0;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(`${location} has schema version ${current}, newer than this llmux knows (${SQLITE_MIGRATIONS.length}); upgrade llmux`);
  }
  for (let version = current + 1; version <= SQLITE_MIGRATIONS.length; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(SQLITE_MIGRATIONS[version - 1] ?? '');
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
