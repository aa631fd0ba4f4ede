import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropIgnoredFields } from './poe-openai-dialect.ts';

describe('dropIgnoredFields', () => {
  it("drops the fields Poe ignores and n, and says which", () => {
    const warned: string[] = [];
    const body = dropIgnoredFields(
      {
        model: 'GPT-4o',
        messages: [],
        temperature: 0.5,
        seed: 1,
        user: 'u',
        logit_bias: {},
        presence_penalty: 1,
        store: true,
        n: 2,
        aspect: '16:9',
      },
      (field) => warned.push(field),
    );
    assert.deepEqual(body, { model: 'GPT-4o', messages: [], temperature: 0.5, aspect: '16:9' });
    assert.deepEqual(warned, ['store', 'presence_penalty', 'seed', 'logit_bias', 'user', 'n']);
  });

  it('keeps json_object and says nothing when nothing was dropped', () => {
    let called = false;
    const body = dropIgnoredFields({ model: 'm', messages: [], response_format: { type: 'json_object' } }, () => (called = true));
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.equal(called, false);
  });
});
