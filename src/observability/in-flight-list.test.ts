import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlightList } from './in-flight-list.ts';

describe('InFlightList', () => {
  it('lists what is in flight oldest first, and forgets what is removed wherever it sits', () => {
    const list = new InFlightList<string>();
    const entries = ['a', 'b', 'c', 'd', 'e'].map((value) => list.add(value));
    assert.equal(list.size, 5);
    list.remove(entries[2]!); // the middle
    list.remove(entries[0]!); // the oldest
    list.remove(entries[4]!); // the newest
    assert.deepEqual(list.values(), ['b', 'd']);
    assert.equal(list.size, 2);
    list.add('f');
    assert.deepEqual(list.values(), ['b', 'd', 'f']);
  });

  it('ignores a second removal of the same entry', () => {
    const list = new InFlightList<number>();
    const one = list.add(1);
    list.add(2);
    list.remove(one);
    list.remove(one);
    assert.equal(list.size, 1);
    assert.deepEqual(list.values(), [2]);
  });

  it('empties whole and fills again', () => {
    const list = new InFlightList<number>();
    const entries = [1, 2, 3].map((value) => list.add(value));
    for (const entry of entries.reverse()) list.remove(entry);
    assert.equal(list.size, 0);
    assert.deepEqual(list.values(), []);
    list.add(4);
    assert.deepEqual(list.values(), [4]);
  });

  it('gives a copy: removing while going through it reaches every value once', () => {
    const list = new InFlightList<number>();
    const entries = new Map([1, 2, 3, 4].map((value) => [value, list.add(value)]));
    const seen: number[] = [];
    // As the drain does: aborting one request can end others (and remove them) at once.
    for (const value of list.values()) {
      seen.push(value);
      list.remove(entries.get(value)!);
      if (value === 1) list.remove(entries.get(3)!);
    }
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.equal(list.size, 0);
  });

  it('keeps no neighbour on a removed entry', () => {
    const list = new InFlightList<string>();
    list.add('a');
    const middle = list.add('b');
    list.add('c');
    list.remove(middle);
    assert.equal(middle.previous, undefined);
    assert.equal(middle.next, undefined);
    assert.deepEqual(list.values(), ['a', 'c']);
  });
});
