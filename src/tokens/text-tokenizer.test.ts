import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import { GatewayError } from '../canonical/gateway-error.ts';
import { loadTextTokenizer } from './text-tokenizer.ts';

test('ordinary text counts as the o200k tokenizer counts it', async () => {
  const tokenizer = await loadTextTokenizer();
  const text = 'Why is the sky blue? Rayleigh scattering, mostly. '.repeat(20);
  assert.equal(await tokenizer.count(text), countTokens(text));
});

test('a long run of letters is counted close to the whole-run count', async () => {
  const tokenizer = await loadTextTokenizer();
  const text = 'GATTACA'.repeat(500);
  const exact = countTokens(text);
  const counted = await tokenizer.count(text);
  assert.ok(Math.abs(counted - exact) <= Math.ceil(text.length / 128) + 1, `${counted} vs ${exact}`);
});

test('encoding cut pieces still decodes to the very text', async () => {
  const tokenizer = await loadTextTokenizer();
  const text = `{"turns":[["user","${'x'.repeat(5000)}日本語😀 ${' '.repeat(400)}"]]}`;
  assert.equal(tokenizer.decode(await tokenizer.encode(text)), text);
});

test('counting a long text stops when its request is aborted', async () => {
  const tokenizer = await loadTextTokenizer();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(tokenizer.count('word '.repeat(100_000), controller.signal), (error: unknown) => error instanceof GatewayError && error.kind === 'canceled');
});

test('counting a long text gives the event loop back between slices', async () => {
  const tokenizer = await loadTextTokenizer();
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  await tokenizer.count('a'.repeat(200_000));
  clearInterval(ticker);
  assert.ok(turns > 0);
});
