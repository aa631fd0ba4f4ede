import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { describeStateStoreContract } from '../state-store-contract.ts';
import { openSqliteStateStore } from './open-sqlite-state-store.ts';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.ts';

const directory = mkdtempSync(join(tmpdir(), 'llmux-state-'));
after(() => rmSync(directory, { recursive: true, force: true }));

let counter = 0;
describeStateStoreContract('SQLite', () => openSqliteStateStore(join(directory, `contract-${++counter}`, 'llmux.db')));

describe('openSqliteStateStore', () => {
  it('creates the file and its folder, migrates once, and reopens with the data kept', async () => {
    const path = join(directory, 'nested', 'data', 'llmux.db');
    const first = await openSqliteStateStore(path);
    assert.equal(existsSync(path), true);
    await first.keys.insert({ name: 'k', prefix: 'p', hash: 'h', createdAt: 1 });
    await first.close();
    const second = await openSqliteStateStore(path);
    assert.equal((await second.keys.list()).length, 1);
    await second.close();
  });

  it('sees a change another connection made (a CLI beside a running server)', async () => {
    const path = join(directory, 'shared.db');
    const server = await openSqliteStateStore(path);
    const cli = await openSqliteStateStore(path);
    const before = await server.keys.version();
    await cli.keys.insert({ name: 'k', prefix: 'p', hash: 'h2', createdAt: 1 });
    assert.notEqual(await server.keys.version(), before);
    await cli.close();
    await server.close();
  });
});

describe('the responses migration', () => {
  it('brings a database from before stored responses up to date, its keys kept', async () => {
    const path = join(directory, 'version-1.db');
    const { DatabaseSync } = await import('node:sqlite');
    const old = new DatabaseSync(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    old.exec(SQLITE_MIGRATIONS[0] ?? '');
    old.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0); INSERT INTO client_keys (name, prefix, hash, created_at) VALUES ('k', 'p', 'h', 1)");
    old.close();
    const upgraded = await openSqliteStateStore(path);
    assert.deepEqual((await upgraded.keys.list()).map((key) => key.name), ['k']);
    await upgraded.responses.put({ id: 'resp_1', createdAt: 1, response: { id: 'resp_1' }, inputItems: [] });
    assert.equal(await upgraded.responses.count(), 1);
    await upgraded.close();
  });
});
