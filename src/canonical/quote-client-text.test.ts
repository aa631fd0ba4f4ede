import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from './gateway-error.ts';
import { clipText, quoteClientText } from './quote-client-text.ts';

test('short values are quoted whole, long ones cut saying how much was left out', () => {
  assert.equal(quoteClientText('abc'), '"abc"');
  assert.equal(quoteClientText({ a: 1 }), '{"a":1}');
  const quoted = quoteClientText('x'.repeat(1_000_000));
  assert.ok(quoted.length < 260);
  assert.match(quoted, /… \(\d+ more characters\)$/);
});

test('a cut never splits a surrogate pair', () => {
  assert.equal(clipText('ab😀', 3), 'ab… (2 more characters)');
});

test('no error message grows with its input', () => {
  assert.ok(new GatewayError('invalid_request', `bad: ${'y'.repeat(1_000_000)}`).message.length < 2_100);
});
