import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { SeededRandom } from '../../../test-support/fuzz/seeded-random.ts';
import { anthropicMessagesRequestSchema, type AnthropicMessagesRequest } from './anthropic-messages-request-schema.ts';
import { convertAnthropicRequestToChatRequest } from './convert-anthropic-request-to-chat-request.ts';
import { isPlainAnthropicRequest } from './is-plain-anthropic-request.ts';

const SESSION_FILE = new URL('../../../test-support/claude-code-session/session.json', import.meta.url);

/** Values each field may take in a case, valid and not; `undefined` leaves the field out. */
const FIELD_VALUES: Record<string, unknown[]> = {
  model: ['claude-sonnet-4', '', 3, null, undefined],
  max_tokens: [32, 1, 0, 1.5, '32', -4, null, undefined, 2 ** 53],
  system: [
    undefined,
    null,
    'Be brief.',
    '',
    [{ type: 'text', text: 'Be brief.' }],
    5,
    [],
    [{ type: 'text', text: 'You are Claude Code.' }, { type: 'text', text: 'Tools…', cache_control: { type: 'ephemeral' } }],
    [{ type: 'text', text: 'x', citations: [] }],
    [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }],
    ['Be brief.'],
  ],
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
    [{ role: 'user', content: [{ type: 'text', text: 'a', citations: null }] }],
    [{ role: 'user', content: 'x', name: 'n' }],
    [{ role: 'user', content: [{ type: 'text', text: 3 }] }],
    [{ role: 'user', content: [{ type: 'text' }] }],
    [{ role: 'user' }],
    [{ role: 'user', content: null }],
    [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] }],
    [{ role: 'user', content: ['hi'] }],
    [null],
    'hi',
    null,
    undefined,
    // Claude Code's turns: a tool call with signed thinking, its result, cache breakpoints.
    [
      { role: 'user', content: [{ type: 'text', text: 'List files.', cache_control: { type: 'ephemeral' } }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Use ls.', signature: 'c2ln' },
          { type: 'text', text: 'Listing.' },
          { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.txt', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
    ],
  ],
  block: [
    undefined,
    undefined,
    { type: 'text', text: 'a', cache_control: { type: 'ephemeral' } },
    { type: 'text', text: 'a', cache_control: null },
    { type: 'text', text: 'a', cache_control: { type: 'ephemeral', ttl: '5m' } },
    { type: 'text', text: 'a', cache_control: { type: 'ephemeral', ttl: null } },
    { type: 'text', text: 'a', cache_control: { type: 3 } },
    { type: 'text', text: 'a', cache_control: {} },
    { type: 'text', text: 'a', cache_control: { type: 'ephemeral', scope: 'x' } },
    { type: 'text', text: 'a', cache_control: 'ephemeral' },
    { type: 'text', text: 'a', extra: 1 },
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a' } },
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a' }, cache_control: { type: 'ephemeral' } },
    { type: 'tool_use', id: '', name: 'Read', input: {} },
    { type: 'tool_use', id: 'toolu_1', name: '', input: {} },
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: [] },
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: null },
    { type: 'tool_use', id: 'toolu_1', name: 'Read' },
    { type: 'tool_use', name: 'Read', input: {} },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' },
    { type: 'tool_result', tool_use_id: 'toolu_1' },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'ok' }] },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA' } }] },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 3 }] },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ text: 'no type' }] },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: [] },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: null },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: 'x', is_error: true },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: 'x', is_error: null },
    { type: 'tool_result', tool_use_id: 'toolu_1', content: 'x', is_error: 'yes' },
    { type: 'tool_result', tool_use_id: '', content: 'x' },
    { type: 'thinking', thinking: 'hmm', signature: 'c2ln' },
    { type: 'thinking', thinking: 'hmm', signature: null },
    { type: 'thinking', thinking: 'hmm' },
    { type: 'thinking', thinking: 3, signature: 'c2ln' },
    { type: 'thinking', signature: 'c2ln' },
    { type: 'redacted_thinking', data: 'ZW5j' },
    { type: 'redacted_thinking', data: null },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
    { type: 'document', source: { type: 'text', data: 'doc' } },
    { type: 'unknown_block' },
  ],
  tools: [
    undefined,
    undefined,
    null,
    [],
    [{ name: 'f', input_schema: { type: 'object' } }],
    [{ name: 'Read', description: 'Reads a file.', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'], $schema: 'x' }, cache_control: { type: 'ephemeral' } }],
    [{ name: 'f', description: null, input_schema: { type: 'object' }, strict: true }],
    [{ name: 'f', input_schema: { type: 'object' }, strict: 'yes' }],
    [{ name: 'f' }],
    [{ name: 'f', input_schema: null }],
    [{ name: 'f', input_schema: { type: 3 } }],
    [{ name: 'f', input_schema: {} }],
    [{ name: '', input_schema: { type: 'object' } }],
    [{ input_schema: { type: 'object' } }],
    [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }],
    [{ type: 'web_search_20250305', name: 'web_search' }],
    [{ type: null, name: 'f', input_schema: { type: 'object' } }],
    [{ name: 'f', input_schema: { type: 'object' }, cache_control: { type: 1 } }],
    [null],
    {},
  ],
  tool_choice: [undefined, undefined, null, { type: 'auto' }, { type: 'any', disable_parallel_tool_use: true }, { type: 'auto', disable_parallel_tool_use: null }, { type: 'tool', name: 'Read' }, { type: 'tool' }, { type: 'tool', name: '' }, { type: 'none' }, { type: 'none', disable_parallel_tool_use: true }, { type: 'auto', name: 'x' }, { type: 'auto', disable_parallel_tool_use: 'no' }, { type: 'sometimes' }, 'auto'],
  thinking: [undefined, undefined, null, { type: 'disabled' }, { type: 'enabled', budget_tokens: 31999 }, { type: 'enabled', budget_tokens: 0, display: 'summarized' }, { type: 'enabled', budget_tokens: -1 }, { type: 'enabled', budget_tokens: 1.5 }, { type: 'enabled' }, { type: 'enabled', budget_tokens: 1024, display: null }, { type: 'adaptive' }, { type: 'disabled', budget_tokens: 1 }, { type: 'maybe' }],
  output_config: [undefined, undefined, undefined, { effort: 'low' }],
  unknown_field: [undefined, undefined, undefined, 'x', null, { nested: true }],
};

const BASE: Record<string, unknown> = { model: 'claude-sonnet-4', max_tokens: 32, messages: [{ role: 'user', content: 'Say hello.' }] };

/**
 * A case as a client sends it: JSON text parsed (so absent fields are absent, not undefined). The
 * pseudo-field `block` is a content block, sent in a turn of its own after the messages.
 */
function asSent(fields: Record<string, unknown>): unknown {
  const { block, ...body } = fields;
  if (block !== undefined && Array.isArray(body.messages)) {
    const role = typeof block === 'object' && block !== null && 'type' in block && (block.type === 'tool_use' || block.type === 'thinking' || block.type === 'redacted_thinking') ? 'assistant' : 'user';
    body.messages = [...(body.messages as unknown[]), { role, content: [block] }];
  }
  return JSON.parse(JSON.stringify(body));
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

/** The canonical request, or the error the conversion refused the body with. */
function convert(body: AnthropicMessagesRequest, headers: Record<string, string>): unknown {
  try {
    return convertAnthropicRequestToChatRequest(body, headers);
  } catch (error) {
    return error instanceof Error ? `refused: ${error.message}` : error;
  }
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
      assert.deepEqual(parsed.data, body, 'the schema gives a plain body back unchanged');
      const headers = { 'anthropic-beta': 'a,b' };
      assert.deepEqual(convert(body, headers), convert(parsed.data, headers), JSON.stringify(body));
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

  it('takes every Messages request of the recorded Claude Code session', () => {
    const session = z.object({ steps: z.array(z.object({ url: z.string(), body: z.unknown() })) }).parse(JSON.parse(readFileSync(SESSION_FILE, 'utf8')));
    const turns = session.steps.filter((step) => step.url.startsWith('/v1/messages') && !step.url.startsWith('/v1/messages/count_tokens'));
    assert.ok(turns.length >= 4, `${turns.length} turns`);
    for (const turn of turns) assert.equal(isPlainAnthropicRequest(turn.body), true, turn.url);
  });

  it('leaves to the schema bodies with any other field, block or bound', () => {
    assert.equal(isPlainAnthropicRequest({ ...BASE, max_tokens: 0 }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, temperature: 1.01 }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, messages: [{ role: 'user', content: [] }] }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, output_config: { effort: 'low' } }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, thinking: { type: 'adaptive' } }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, messages: [{ role: 'user', content: [{ type: 'text', text: 'a', citations: [] }] }] }), false);
    assert.equal(isPlainAnthropicRequest({ ...BASE, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] }] }), false);
  });
});
