import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import type { ClientKeyStore, StoredClientKey } from '../state/client-key-store.ts';
import { ClientKeyAuthenticator } from './client-key-authenticator.ts';
import { hashClientKeySecret } from './client-key-secret.ts';
import { StoredKeyDirectory } from './stored-key-directory.ts';

/** A key store in memory: just what the directory reads. */
function memoryKeyStore(secret: Buffer): ClientKeyStore & { keys: StoredClientKey[]; changes: number } {
  const store = {
    keys: [] as StoredClientKey[],
    changes: 0,
    insert: () => Promise.reject(new Error('not used')),
    list: () => Promise.resolve(store.keys.map((key) => ({ ...key }))),
    get: () => Promise.reject(new Error('not used')),
    update: () => Promise.reject(new Error('not used')),
    revoke: () => Promise.reject(new Error('not used')),
    version: () => Promise.resolve(store.changes),
    hashSecret: () => Promise.resolve(secret),
  };
  return store;
}

describe('ClientKeyAuthenticator', () => {
  const auth = new ClientKeyAuthenticator([
    { key: 'sk-alice', name: 'alice', models: ['qwen3'] },
    { key: 'sk-bob' },
  ]);

  it('is open with no keys configured, even with an empty bearer (Copilot sends one)', () => {
    assert.deepEqual(new ClientKeyAuthenticator([]).authenticate({ authorization: 'Bearer ' }), { outcome: 'open' });
  });

  it('accepts a bearer token or x-api-key', () => {
    const bearer = auth.authenticate({ authorization: 'Bearer sk-alice' });
    assert.equal(bearer.outcome, 'ok');
    assert.equal(bearer.outcome === 'ok' ? bearer.client.name : '', 'alice');
    assert.deepEqual(bearer.outcome === 'ok' ? [...(bearer.client.models ?? [])] : [], ['qwen3']);
    const header = auth.authenticate({ 'x-api-key': 'sk-bob' });
    assert.equal(header.outcome === 'ok' ? header.client.name : '', 'key-2');
  });

  it('tells a missing key from a wrong one', () => {
    assert.deepEqual(auth.authenticate({}), { outcome: 'missing' });
    assert.deepEqual(auth.authenticate({ authorization: 'Bearer ' }), { outcome: 'missing' });
    assert.deepEqual(auth.authenticate({ authorization: 'Bearer sk-alicf' }), { outcome: 'invalid' });
    assert.deepEqual(auth.authenticate({ authorization: 'Bearer sk-alice-and-more' }), { outcome: 'invalid' });
  });

  it('remembers a verified key, and answers the same for it every time', () => {
    const first = auth.authenticate({ authorization: 'Bearer sk-alice' });
    const again = auth.authenticate({ 'x-api-key': 'sk-alice' });
    assert.equal(again.outcome === 'ok' ? again.client : undefined, first.outcome === 'ok' ? first.client : 'no client');
    // A wrong key is never remembered as right, before or after a right one was.
    assert.deepEqual(auth.authenticate({ authorization: 'Bearer sk-alic' }), { outcome: 'invalid' });
    assert.deepEqual(auth.authenticate({ authorization: 'Bearer sk-alicee' }), { outcome: 'invalid' });
  });

  it('forgets a remembered stored key once the stored keys reload: a revoked key is refused', async () => {
    const secret = Buffer.alloc(32, 7);
    const store = memoryKeyStore(secret);
    const key = (name: string, presented: string): StoredClientKey => ({ name, prefix: presented.slice(0, 10), hash: hashClientKeySecret(secret, presented), createdAt: 0 });
    store.keys.push(key('erin', 'llmux-erin-secret'), key('fay', 'llmux-fay-secret'));
    const directory = new StoredKeyDirectory(store, { warn: () => undefined } as unknown as FastifyBaseLogger);
    await directory.refresh();
    const stored = new ClientKeyAuthenticator([{ key: 'sk-config', name: 'config' }], directory);
    const name = (presented: string): string | undefined => {
      const result = stored.authenticate({ authorization: `Bearer ${presented}` });
      return result.outcome === 'ok' ? result.client.name : result.outcome;
    };
    assert.equal(name('llmux-erin-secret'), 'erin');
    assert.equal(name('llmux-erin-secret'), 'erin');
    assert.equal(name('sk-config'), 'config');
    store.keys[0] = { ...key('erin', 'llmux-erin-secret'), revokedAt: 1 };
    store.changes++;
    await directory.refresh();
    assert.equal(name('llmux-erin-secret'), 'invalid');
    assert.equal(name('llmux-fay-secret'), 'fay');
    assert.equal(name('sk-config'), 'config');
  });
});
