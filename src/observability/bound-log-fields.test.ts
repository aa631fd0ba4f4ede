import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundLogFields } from './bound-log-fields.ts';

test('long strings are cut in fields and one level down; short records stay the same object', () => {
  const record = { model: 'm'.repeat(50_000), degraded: [{ field: 'f'.repeat(5_000), reason: 'r' }], status: 400 };
  const bounded = boundLogFields(record);
  assert.ok(JSON.stringify(bounded).length < 2_500);
  assert.equal(bounded.status, 400);
  const small = { model: 'qwen3', status: 200 };
  assert.equal(boundLogFields(small), small);
});
