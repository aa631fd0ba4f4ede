import assert from 'node:assert/strict';
import { it } from 'node:test';
import { randomRequestId } from './random-request-id.ts';

it('makes version 4 UUIDs, each different, across many refills of its random pool', () => {
  const seen = new Set<string>();
  const digitCounts = new Map<string, number>();
  for (let index = 0; index < 5_000; index++) {
    const id = randomRequestId();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(id);
    for (const digit of id.slice(24)) digitCounts.set(digit, (digitCounts.get(digit) ?? 0) + 1);
  }
  assert.equal(seen.size, 5_000);
  // Every hex digit appears in the last group at about 1/16 of the time (60,000 digits: ~3,750 each).
  assert.equal(digitCounts.size, 16);
  for (const count of digitCounts.values()) assert.ok(count > 3_000 && count < 4_500, String(count));
});
