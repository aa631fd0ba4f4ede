import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { RequestIdColumn } from './request-id-column.ts';

test('an id reads back as it was set, a randomUUID or any other string, and keeps through growing', () => {
  const ids = [randomUUID(), randomUUID().toUpperCase(), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff', 'abc', '', '0123456789abcdef0123456789abcdef0123', '0123456789-abcdef-0123-4567-89abcdef01', 'ffffffff-ffff-4fff-bfff-fffffffffffg', 'ffffffff+ffff-4fff-bfff-ffffffffffff', 'ffffffff-ffff-4fff-bfff-ffffffffff-f', 'fffffffff-fff-4fff-bfff-ffffffffffff'];
  const column = new RequestIdColumn(2);
  column.grow(ids.length);
  assert.equal(column.capacity, ids.length);
  for (const [slot, id] of ids.entries()) column.set(slot, id);
  column.grow(ids.length * 2);
  assert.deepEqual(
    ids.map((_, slot) => column.get(slot)),
    ids,
  );
  // A slot set again with the other kind of id reads as the new one.
  column.set(4, ids[0] as string);
  column.set(0, 'client-id');
  assert.equal(column.get(4), ids[0]);
  assert.equal(column.get(0), 'client-id');
});

test('a randomUUID with any one character out of place is kept as its string', () => {
  const id = 'ab01cd23-ef45-4a67-b89c-0123456789ef';
  // Upper case, not a digit, a dash for a digit or a digit for a dash, and characters past Latin-1
  // whose low byte is a hex digit or a dash (U+0130, U+0161, U+012D).
  const strangers = ['A', 'F', 'g', '-', '0', 'a', '\u0130', '\u0161', '\u012d', '\u00e1', ' '];
  const variants: string[] = [];
  for (let index = 0; index < id.length; index++) {
    for (const stranger of strangers) {
      const variant = `${id.slice(0, index)}${stranger}${id.slice(index + 1)}`;
      if (variant !== id) variants.push(variant);
    }
  }
  const column = new RequestIdColumn(variants.length + 1);
  column.set(variants.length, id);
  for (const [slot, variant] of variants.entries()) column.set(slot, variant);
  for (const [slot, variant] of variants.entries()) assert.equal(column.get(slot), variant);
  assert.equal(column.get(variants.length), id);
});
