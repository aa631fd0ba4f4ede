import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StateStore } from '../state-store.ts';
import { migrateSqlite } from './sqlite-migrations.ts';
import { SqliteClientKeyStore } from './sqlite-client-key-store.ts';
import { SqliteResponseStore } from './sqlite-response-store.ts';
import { SqliteUsageStore } from './sqlite-usage-store.ts';

/**
 * Opens (creating it and its folder on first use) the embedded state database and migrates it.
 * WAL lets the CLI write keys while a server reads them; `:memory:` gives a private one.
 */
export async function openSqliteStateStore(path: string): Promise<StateStore> {
  const { DatabaseSync } = await import('node:sqlite');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    migrateSqlite(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  let closed = false;
  return {
    keys: new SqliteClientKeyStore(db),
    usage: new SqliteUsageStore(db),
    responses: new SqliteResponseStore(db),
    location: path,
    close: async () => {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
