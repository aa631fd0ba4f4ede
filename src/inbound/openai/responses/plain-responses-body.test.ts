import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertResponsesRequestToChatRequest, locateInput } from './convert-responses-request-to-chat-request.ts';
import { isPlainResponsesBody } from './plain-responses-body.ts';
import { storedInputItems } from './replay-responses-history.ts';
import { responsesEnvelope } from './responses-envelope.ts';
import { KNOWN_RESPONSES_FIELDS, responsesRequestSchema, type ResponsesRequest } from './responses-request-schema.ts';

const items = [
  { type: 'message', role: 'developer', content: 'Use metric units.' },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Salut ☕' }, { type: 'input_text', text: '' }] },
  { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Bonjour.' }] },
  { type: 'message', role: 'system', content: '' },
];

const PLAIN: Record<string, unknown>[] = [
  { model: 'm', input: 'Say hello.', max_output_tokens: 32, store: false, stream: false },
  { model: 'm' },
  {
    model: 'm',
    input: items,
    instructions: 'Be brief.',
    tool_choice: 'none',
    parallel_tool_calls: false,
    max_output_tokens: 1,
    temperature: 2,
    top_p: 0,
    reasoning: { effort: 'xhigh', summary: 'none', generate_summary: 'auto' },
    text: { format: { type: 'json_object' }, verbosity: 'low' },
    include: ['reasoning.encrypted_content', 'message.output_text.logprobs'],
    store: true,
    stream: true,
    previous_response_id: 'resp_1',
    user: 'u',
    safety_identifier: 's',
    prompt_cache_key: 'k',
    truncation: 'auto',
    service_tier: 'flex',
    background: false,
    top_logprobs: 20,
    max_tool_calls: 3,
  },
  { model: 'm', input: [], reasoning: {}, text: { format: { type: 'text' } }, some_server_extra: [1], extra_body: { top_k: 3 } },
];

const UNUSUAL: [string, unknown][] = [
  ['not an object', []],
  ['no model', { input: 'a' }],
  ['an empty model', { model: '', input: 'a' }],
  ['a null field', { model: 'm', input: 'a', instructions: null }],
  ['tools', { model: 'm', input: 'a', tools: [] }],
  ['a tool_choice object', { model: 'm', input: 'a', tool_choice: { type: 'function', name: 'f' } }],
  ['an unknown tool_choice', { model: 'm', input: 'a', tool_choice: 'any' }],
  ['metadata', { model: 'm', input: 'a', metadata: {} }],
  ['stream_options', { model: 'm', input: 'a', stream_options: {} }],
  ['conversation', { model: 'm', input: 'a', conversation: 'c' }],
  ['prompt', { model: 'm', input: 'a', prompt: { id: 'p' } }],
  ['a message item without type', { model: 'm', input: [{ role: 'user', content: 'a' }] }],
  ['a message item in another key order', { model: 'm', input: [{ role: 'user', content: 'a', type: 'message' }] }],
  ['a message item with an id', { model: 'm', input: [{ type: 'message', id: 'msg_1', role: 'user', content: 'a' }] }],
  ['an unknown role', { model: 'm', input: [{ type: 'message', role: 'tool', content: 'a' }] }],
  ['a function call', { model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }] }],
  ['an image part', { model: 'm', input: [{ type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'https://example.com/a.png' }] }] }],
  ['a text part in another key order', { model: 'm', input: [{ type: 'message', role: 'user', content: [{ text: 'a', type: 'input_text' }] }] }],
  ['a text part with annotations', { model: 'm', input: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a', annotations: [] }] }] }],
  ['a zero max_output_tokens', { model: 'm', input: 'a', max_output_tokens: 0 }],
  ['a fractional max_output_tokens', { model: 'm', input: 'a', max_output_tokens: 1.5 }],
  ['temperature out of range', { model: 'm', input: 'a', temperature: 2.5 }],
  ['top_p out of range', { model: 'm', input: 'a', top_p: 1.5 }],
  ['top_logprobs out of range', { model: 'm', input: 'a', top_logprobs: 21 }],
  ['an unknown effort', { model: 'm', input: 'a', reasoning: { effort: 'extreme' } }],
  ['an unknown reasoning field', { model: 'm', input: 'a', reasoning: { effort: 'low', budget: 3 } }],
  ['a json_schema format', { model: 'm', input: 'a', text: { format: { type: 'json_schema', schema: {} } } }],
  ['a format with another key', { model: 'm', input: 'a', text: { format: { type: 'text', name: 'x' } } }],
  ['an unknown truncation', { model: 'm', input: 'a', truncation: 'middle' }],
  ['a string stream', { model: 'm', input: 'a', stream: 'yes' }],
  ['an include list with a number', { model: 'm', input: 'a', include: [1] }],
  ['an empty previous_response_id', { model: 'm', input: 'a', previous_response_id: '' }],
  ['a __proto__ field', JSON.parse('{"model":"m","input":"a","__proto__":{"x":1}}')],
  ['a __proto__ item field', JSON.parse('{"model":"m","input":[{"type":"message","role":"user","content":"a","__proto__":{}}]}')],
  ['a __proto__ reasoning field', JSON.parse('{"model":"m","input":"a","reasoning":{"__proto__":{}}}')],
];

/** What a body becomes on each path: canonical request (or its error), envelope, stored items, unmapped fields in order. */
function outcome(body: ResponsesRequest): unknown {
  let request: unknown;
  try {
    request = convertResponsesRequestToChatRequest(body, [], []);
  } catch (error) {
    request = { error: (error as Error).message };
  }
  const stored = storedInputItems(locateInput(body.input)).map((item) => JSON.stringify({ ...item, id: 'x' }));
  const unknown = Object.keys(body).filter((key) => !KNOWN_RESPONSES_FIELDS.has(key));
  return { request, envelope: JSON.stringify(responsesEnvelope(body, 'resp_x', 1)), stored, unknown };
}

function assertSamePaths(body: Record<string, unknown>): void {
  const what = JSON.stringify(body);
  const parsed = responsesRequestSchema.safeParse(body);
  assert.ok(parsed.success, `the schema accepts ${what}`);
  assert.deepEqual(parsed.data, body, `the schema changes nothing in ${what}`);
  assert.deepEqual(outcome(body as ResponsesRequest), outcome(parsed.data), what);
}

/** A small seeded generator (mulberry32), so a failure names a body that can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per field: values the guard may take as plain, then values it must not (unusual or invalid). */
const VALUES: Record<string, [unknown[], unknown[]]> = {
  model: [['m', 'gpt-5'], ['', 3, null]],
  input: [['Hi', '', [], items, [items[1]]], [[{ role: 'user', content: 'a' }], [{ role: 'user', content: 'a', type: 'message' }], [{ type: 'message', role: 'user', content: 'a', status: null }], [{ type: 'reasoning', summary: [] }], null, 5]],
  instructions: [['Be brief.', ''], [null, 1]],
  tool_choice: [['none', 'auto', 'required'], [{ type: 'function', name: 'f' }, { type: 'web_search' }, 'any', null]],
  parallel_tool_calls: [[true, false], [null, 'true']],
  max_output_tokens: [[1, 32], [0, -1, 2.5, null, '32']],
  temperature: [[0, 1.2, 2], [2.1, -0.1, null]],
  top_p: [[0, 0.5, 1], [1.1, null]],
  reasoning: [[{}, { effort: 'low' }, { effort: 'max', summary: 'detailed' }, { generate_summary: 'concise' }], [{ effort: null }, { summary: 'none', extra: 1 }, null, 'low']],
  text: [[{}, { verbosity: 'high' }, { format: { type: 'text' } }, { format: { type: 'json_object' }, verbosity: 'medium' }], [{ format: null }, { verbosity: 'loud' }, null]],
  include: [[[], ['message.output_text.logprobs']], [['a', null], null, 'a']],
  store: [[true, false], [null, 0]],
  stream: [[true, false], [null]],
  previous_response_id: [['resp_1'], ['', null]],
  user: [['u'], [null, 1]],
  safety_identifier: [['s'], [null]],
  prompt_cache_key: [['k'], [null]],
  truncation: [['auto', 'disabled'], ['none', null]],
  service_tier: [['auto'], [null, 1]],
  background: [[false, true], [null]],
  top_logprobs: [[0, 5, 20], [21, 1.5, null]],
  max_tool_calls: [[1], [0, null]],
  tools: [[], [[], [{ type: 'function', name: 'f' }]]],
  metadata: [[], [{}, { a: 'b' }]],
  some_server_extra: [[1, { nested: true }, null], []],
};

describe('isPlainResponsesBody', () => {
  it('accepts plain bodies, which the schema passes unchanged and which convert, echo and store as they are', () => {
    for (const body of PLAIN) {
      assert.equal(isPlainResponsesBody(body), true, JSON.stringify(body));
      assertSamePaths(body);
    }
  });

  it('leaves everything else to the schema and the canonical path', () => {
    for (const [what, body] of UNUSUAL) assert.equal(isPlainResponsesBody(body), false, what);
  });

  it('agrees with the schema on seeded random bodies: whatever it accepts, both paths make the same of', () => {
    const next = random(11);
    const fields = Object.keys(VALUES);
    let plain = 0;
    for (let round = 0; round < 4000; round++) {
      const body: Record<string, unknown> = { model: 'm' };
      for (const field of fields) {
        if (next() < 0.6) continue;
        const [good, bad] = VALUES[field] as [unknown[], unknown[]];
        const values = bad.length > 0 && (good.length === 0 || next() < 0.12) ? bad : good;
        body[field] = values[Math.floor(next() * values.length)];
      }
      if (!isPlainResponsesBody(body)) continue;
      plain++;
      assertSamePaths(body);
    }
    // Both kinds come up often enough for the comparison to mean something.
    assert.ok(plain > 200 && plain < 3800, `${plain} plain bodies of 4000`);
  });
});
