import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeHeaderValue } from './safe-header-value.ts';

test('plain names stay as they are', () => {
  assert.equal(safeHeaderValue('gpt-oss-120b'), 'gpt-oss-120b');
  assert.equal(safeHeaderValue('Claude Sonnet 4.5'), 'Claude Sonnet 4.5');
});

test('CR/LF, control and non-ASCII characters are percent-encoded, so no header can be added', () => {
  assert.equal(safeHeaderValue('cerebras/日本語'), 'cerebras%2F%E6%97%A5%E6%9C%AC%E8%AA%9E');
  assert.equal(safeHeaderValue('Bot\r\nX-Evil: 1'), 'Bot%0D%0AX-Evil%3A%201');
  assert.doesNotMatch(safeHeaderValue('a\u0000b\u00ffc'), /[^\x20-\x7e]/);
});

test('long values are cut without leaving half an escape', () => {
  const value = safeHeaderValue('日'.repeat(1000));
  assert.ok(value.length <= 256);
  assert.match(value, /^(%[0-9A-F]{2})+\.\.\.$/);
});
