import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { describeStateStoreContract } from '../state-store-contract.ts';
import { openSqliteStateStore } from './open-sqlite-state-store.ts';

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
