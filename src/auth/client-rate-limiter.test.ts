import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientRateLimiter } from './client-rate-limiter.ts';

describe('ClientRateLimiter', () => {
  it('admits rpm requests per minute, then refuses with the wait until the window turns', () => {
    let now = 120_000 + 15_000;
    const limiter = new ClientRateLimiter(() => now);
    const client = { name: 'alice', rpm: 3 };
    for (let i = 0; i < 3; i++) assert.deepEqual(limiter.admit(client), { allowed: true });
    assert.deepEqual(limiter.admit(client), { allowed: false, limit: 'rpm', retryAfterSeconds: 45 });
    // Half-way into the next minute, half of the previous minute's 3 still count.
    now = 180_000 + 30_000;
    assert.deepEqual(limiter.admit(client), { allowed: true });
    assert.equal(limiter.admit(client).allowed, false);
    // Two minutes on, nothing is left.
    now = 300_000;
    for (let i = 0; i < 3; i++) assert.equal(limiter.admit(client).allowed, true);
  });

  it('refuses once recorded tokens reach tpm, and keeps keys apart', () => {
    const now = 60_000;
    const limiter = new ClientRateLimiter(() => now);
    const alice = { name: 'alice', tpm: 100 };
    const bob = { name: 'bob', tpm: 100 };
    assert.equal(limiter.admit(alice).allowed, true);
    limiter.recordTokens('alice', 60);
    assert.equal(limiter.admit(alice).allowed, true);
    limiter.recordTokens('alice', 40);
    assert.deepEqual(limiter.admit(alice), { allowed: false, limit: 'tpm', retryAfterSeconds: 60 });
    assert.equal(limiter.admit(bob).allowed, true);
  });

  it('does nothing for a key without limits', () => {
    const limiter = new ClientRateLimiter();
    for (let i = 0; i < 1000; i++) assert.equal(limiter.admit({ name: 'free' }).allowed, true);
  });
});
