import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLongRuns } from './split-long-runs.ts';

function longestRun(piece: string): number {
  let longest = 0;
  for (const match of piece.matchAll(/\S+|\s+/gu)) longest = Math.max(longest, match[0].length);
  return longest;
}

test('a long run of letters is cut into runs no longer than the limit; the pieces join to the text', () => {
  const text = 'start ' + 'ACGT'.repeat(1000) + ' end';
  const pieces = splitLongRuns(text, 128);
  assert.equal(pieces.join(''), text);
  assert.ok(pieces.length >= 4000 / 128);
  for (const piece of pieces) assert.ok(longestRun(piece) <= 128, `run of ${longestRun(piece)}`);
});

test('a long run of spaces is cut as well', () => {
  const text = 'a' + ' '.repeat(1000) + 'b';
  const pieces = splitLongRuns(text, 100);
  assert.equal(pieces.join(''), text);
  for (const piece of pieces) assert.ok(longestRun(piece) <= 100);
});

test('short text and ordinary prose stay whole', () => {
  assert.deepEqual(splitLongRuns('hello world', 128), ['hello world']);
  const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(100);
  assert.deepEqual(splitLongRuns(prose, 128, 1_000_000), [prose]);
});

test('long prose is cut into pieces of bounded size at a change between space and letters', () => {
  const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(2000);
  const pieces = splitLongRuns(prose, 128, 4096);
  assert.equal(pieces.join(''), prose);
  for (const piece of pieces) assert.ok(piece.length <= 4096 + 1);
});

test('a surrogate pair is never cut', () => {
  const text = '😀'.repeat(1000);
  for (const piece of splitLongRuns(text, 7, 33)) {
    assert.ok(!/^[\uDC00-\uDFFF]/u.test(piece) && !/[\uD800-\uDBFF]$/u.test(piece));
    assert.equal(piece.length % 2, 0);
  }
});

test('JSON and other text of short pieces stays whole, however long its runs without spaces', () => {
  const json = JSON.stringify({ tools: [{ name: 'read_file', parameters: { type: 'object', properties: { file_path: { type: 'string' }, offset: { type: 'integer' }, limit: { type: 'integer' } }, required: ['file_path'] } }] });
  assert.ok(longestRun(json) > 128);
  assert.deepEqual(splitLongRuns(json, 128), [json]);
});

test('a long run of letters outside the Basic Multilingual Plane, or of CJK, is cut too', () => {
  for (const text of ['𝒜'.repeat(500), '日本語'.repeat(200), '!?'.repeat(300), '7'.repeat(400)]) {
    const pieces = splitLongRuns(text, 64);
    assert.equal(pieces.join(''), text);
    assert.ok(pieces.length > 1, text.slice(0, 6));
  }
});
