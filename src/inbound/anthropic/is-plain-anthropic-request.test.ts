import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../../test-support/fuzz/seeded-random.ts';
import { anthropicMessagesRequestSchema } from './anthropic-messages-request-schema.ts';
import { convertAnthropicRequestToChatRequest } from './convert-anthropic-request-to-chat-request.ts';
import { isPlainAnthropicRequest } from './is-plain-anthropic-request.ts';

/** Values each field may take in a case, valid and not; `undefined` leaves the field out. */
const FIELD_VALUES: Record<string, unknown[]> = {
  model: ['claude-sonnet-4', '', 3, null, undefined],
  max_tokens: [32, 1, 0, 1.5, '32', -4, null, undefined, 2 ** 53],
  system: [undefined, null, 'Be brief.', '', [{ type: 'text', text: 'Be brief.' }], 5],
  stream: [undefined, null, true, false, 'yes'],
  temperature: [undefined, null, 0, 1, 0.5, 1.5, -0.1, '0.5'],
  top_p: [undefined, null, 0, 1, 0.9, 2],
  top_k: [undefined, null, 0, 40, -1, 2.5],
  stop_sequences: [undefined, null, [], ['END'], [1], 'END'],
  metadata: [undefined, null, {}, { user_id: 'u-1' }, { user_id: null }, { user_id: 3 }, { user_id: 'u', other: 1 }, []],
  service_tier: [undefined, null, 'auto', 3],
  messages: [
    [],
    [{ role: 'user', content: 'Say hello.' }],
    [{ role: 'user', content: '' }],
    [
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: 'x' },
      { role: 'user', content: [{ type: 'text', text: '' }] },
    ],
    [{ role: 'assistant', content: [{ type: 'text', text: 'prefill' }] }],
    [{ role: 'system', content: 'x' }],
    [{ role: 'user', content: [] }],
    [{ role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }] }],
    [{ role: 'user', content: [{ type: 'text', text: 'a', citations: null }] }],
    [{ role: 'user', content: 'x', name: 'n' }],
    [{ role: 'user', content: [{ type: 'text', text: 3 }] }],
    [{ role: 'user' }],
    [{ role: 'user', content: null }],
    [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] }],
    [{ role: 'user', content: ['hi'] }],
    [null],
    'hi',
    null,
    undefined,
  ],
  tools: [undefined, undefined, undefined, [], [{ name: 'f', input_schema: { type: 'object' } }]],
  thinking: [undefined, undefined, undefined, { type: 'disabled' }],
  unknown_field: [undefined, undefined, undefined, 'x', null],
};

const BASE: Record<string, unknown> = { model: 'claude-sonnet-4', max_tokens: 32, messages: [{ role: 'user', content: 'Say hello.' }] };

/** A case as a client sends it: JSON text parsed (so absent fields are absent, not undefined). */
function asSent(fields: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(fields));
}

function cases(): unknown[] {
  const all: unknown[] = [asSent(BASE)];
  // Every value of every field on the plain base, then random mixes of them all.
  for (const [field, values] of Object.entries(FIELD_VALUES)) {
    for (const value of values) all.push(asSent({ ...BASE, [field]: value }));
  }
  const random = new SeededRandom(11);
  for (let i = 0; i < 3000; i++) {
    const fields: Record<string, unknown> = {};
    for (const [field, values] of Object.entries(FIELD_VALUES)) fields[field] = random.chance(0.75) ? BASE[field] : random.pick(values);
    all.push(asSent(fields));
  }
  all.push(null, 'text', [], 42);
  return all;
}

describe('isPlainAnthropicRequest', () => {
  it('takes only bodies the schema accepts, and they convert to the same canonical request as the parsed ones', () => {
    let plain = 0;
    let parsedOnly = 0;
    for (const body of cases()) {
      const parsed = anthropicMessagesRequestSchema.safeParse(body);
      if (!isPlainAnthropicRequest(body)) {
        if (parsed.success) parsedOnly++;
        continue;
      }
      plain++;
      assert.ok(parsed.success, `the guard took a body the schema refuses: ${JSON.stringify(body)}`);
      const headers = { 'anthropic-beta': 'a,b' };
      assert.deepEqual(convertAnthropicRequestToChatRequest(body, headers), convertAnthropicRequestToChatRequest(parsed.data, headers), JSON.stringify(body));
    }
    // Both paths are exercised: many bodies are plain, and valid bodies with other fields still go to the schema.
    assert.ok(plain > 300, `only ${plain} plain bodies`);
    assert.ok(parsedOnly > 100, `only ${parsedOnly} valid bodies outside the guard`);
  });

  it('takes the bodies the SDKs send for a text conversation', () => {
    assert.equal(isPlainAnthropicRequest(asSent(BASE)), true);
    assert.equal(
      isPlainAnthropicRequest({
        model: 'claude-sonnet-4',
        max_tokens: 1024,
        system: 'You are brief.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: 'Hello.' },
        ],
        metadata: { user_id: 'u' },
        stream: false,
        temperature: 0.2,
      }),
      true,
    );
  });

  it('leaves to the schema bodies with any other field, block or bound', () => {
    assert.equal(isPlainAnthropicRequest({ ...BASE, tools: [] }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, max_tokens: 0 }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, temperature: 1.01 }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, messages: [{ role: 'user', content: [] }] }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, messages: [{ role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }] }] }), false);
  });
});
