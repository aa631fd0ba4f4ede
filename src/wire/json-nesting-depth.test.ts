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
