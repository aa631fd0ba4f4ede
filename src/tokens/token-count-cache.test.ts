import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TextTokenizer } from './text-tokenizer.ts';
import { TokenCountCache } from './token-count-cache.ts';

/** A tokenizer that counts one token per character and notes every text it was asked to count. */
function recordingTokenizer(): TextTokenizer & { counted: string[] } {
  const counted: string[] = [];
  return {
    counted,
    count: (text) => {
      counted.push(text);
      return Promise.resolve(text.length);
    },
    encode: () => Promise.reject(new Error('not used')),
    decode: () => '',
  };
}

const long = (letter: string): string => letter.repeat(600);

test('a text counted before is answered at once, without the tokenizer', async () => {
  const tokenizer = recordingTokenizer();
  const cache = new TokenCountCache();
  assert.equal(await cache.count(tokenizer, long('a')), 600);
  assert.equal(cache.count(tokenizer, long('a')), 600);
  assert.deepEqual(tokenizer.counted, [long('a')]);
  assert.equal(cache.size, 1);
});

test('short texts are counted every time and not remembered', async () => {
  const tokenizer = recordingTokenizer();
  const cache = new TokenCountCache();
  assert.equal(await cache.count(tokenizer, 'short'), 5);
  assert.equal(await cache.count(tokenizer, 'short'), 5);
  assert.deepEqual(tokenizer.counted, ['short', 'short']);
  assert.equal(cache.size, 0);
  assert.equal(cache.remembers('short'), false);
  assert.equal(cache.remembers(long('a')), true);
});

test('past its size, the text used longest ago is forgotten first', async () => {
  const tokenizer = recordingTokenizer();
  const cache = new TokenCountCache(2);
  await cache.count(tokenizer, long('a'));
  await cache.count(tokenizer, long('b'));
  cache.count(tokenizer, long('a'));
  await cache.count(tokenizer, long('c'));
  assert.equal(cache.size, 2);
  assert.equal(typeof cache.count(tokenizer, long('a')), 'number');
  assert.equal(typeof cache.count(tokenizer, long('c')), 'number');
  await cache.count(tokenizer, long('b'));
  assert.deepEqual(tokenizer.counted, [long('a'), long('b'), long('c'), long('b')]);
});

test('a count that fails (the request went away) is not remembered', async () => {
  const cache = new TokenCountCache();
  const failing: TextTokenizer = { count: () => Promise.reject(new Error('canceled')), encode: () => Promise.reject(new Error('not used')), decode: () => '' };
  await assert.rejects(Promise.resolve(cache.count(failing, long('a'))), /canceled/);
  assert.equal(cache.size, 0);
});
