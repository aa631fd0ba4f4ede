import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientKeyAuthenticator } from './client-key-authenticator.ts';

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
});
