import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonNestingDepth } from './json-nesting-depth.ts';

test('counts the deepest nesting of arrays and objects, ignoring brackets inside strings', () => {
  assert.equal(jsonNestingDepth('1'), 0);
  assert.equal(jsonNestingDepth('{"a":[1,{"b":2}]}'), 3);
  assert.equal(jsonNestingDepth('{"a":"[[[[{{{{\\"]]]"}'), 1);
  assert.equal(jsonNestingDepth('[[],[[]],[]]'), 3);
});

test('handles any depth without recursion, and stops early past the limit', () => {
  const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
  assert.equal(jsonNestingDepth(deep), 1_000_000);
  assert.equal(jsonNestingDepth(deep, 512), 513);
});

test('a quote after an even run of backslashes closes the string, after an odd run it does not', () => {
  assert.equal(jsonNestingDepth(String.raw`{"a":"x\\","b":[[1]]}`), 3);
  assert.equal(jsonNestingDepth(String.raw`{"a":"x\\\"[[[[","b":1}`), 1);
  assert.equal(jsonNestingDepth(String.raw`["\\\\",["\"",[]]]`), 3);
  // An unterminated string runs to the end: what follows its quote is not counted.
  assert.equal(jsonNestingDepth('[["abc[[[['), 2);
});

test('agrees with a character-by-character reading on any text', () => {
  const reference = (text: string): number => {
    let depth = 0;
    let deepest = 0;
    let inString = false;
    for (let index = 0; index < text.length; index++) {
      const char = text[index];
      if (inString) {
        if (char === '\\') index++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
      else if (char === ']' || char === '}') depth--;
    }
    return deepest;
  };
  const alphabet = ['[', ']', '{', '}', '"', '\\', 'a', ','];
  // A fixed pseudo-random sequence, so a failure repeats.
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let round = 0; round < 2000; round++) {
    const text = Array.from({ length: next() % 40 }, () => alphabet[next() % alphabet.length]).join('');
    assert.equal(jsonNestingDepth(text), reference(text), text);
  }
});
