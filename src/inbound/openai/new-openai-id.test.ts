import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newOpenAIId } from './new-openai-id.ts';

describe('newOpenAIId', () => {
  it('gives the prefix and 20 letters and digits, never the same twice, across refills of its random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = newOpenAIId('resp_');
      assert.match(id, /^resp_[A-Za-z0-9]{20}$/);
      ids.add(id);
    }
    assert.equal(ids.size, 1000);
  });
});
