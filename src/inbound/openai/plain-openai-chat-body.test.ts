import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertOpenAIRequestToChatRequest } from './convert-openai-request-to-chat-request.ts';
import { openAIChatRequestSchema } from './openai-chat-request-schema.ts';
import { isPlainOpenAIChatBody } from './plain-openai-chat-body.ts';

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'developer', content: 'French.' },
  { role: 'user', content: 'Salut ☕', name: 'ana' },
  { role: 'assistant', content: '' },
];

const PLAIN: Record<string, unknown>[] = [
  { model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
  {
    model: 'm',
    messages,
    stream: true,
    stream_options: { include_usage: true, extra: 1 },
    max_tokens: 0,
    max_completion_tokens: 64,
    temperature: 2,
    top_p: 0,
    stop: ['a', 'b'],
    seed: -3,
    frequency_penalty: -2,
    presence_penalty: 2,
    n: 1,
    user: 'u',
    logprobs: true,
    top_logprobs: 20,
    reasoning_effort: 'xhigh',
    top_k: 40,
    min_p: 0.1,
    repetition_penalty: 1.1,
  },
  { model: 'm', messages, stop: 'END', store: false, metadata: { a: 'b' }, some_server_extra: [1] },
];

const UNUSUAL: [string, unknown][] = [
  ['not an object', []],
  ['no messages', { model: 'm' }],
  ['no model', { messages }],
  ['an empty model', { model: '', messages }],
  ['no turns', { model: 'm', messages: [] }],
  ['content parts', { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }],
  ['null content', { model: 'm', messages: [{ role: 'assistant', content: null }] }],
  ['a tool turn', { model: 'm', messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }] }],
  ['tool calls', { model: 'm', messages: [{ role: 'assistant', content: '', tool_calls: [] }] }],
  ['reasoning sent back', { model: 'm', messages: [{ role: 'assistant', content: 'a', reasoning_content: 'r' }] }],
  ['an unknown message field', { model: 'm', messages: [{ role: 'user', content: 'a', extra: 1 }] }],
  ['a null name', { model: 'm', messages: [{ role: 'user', content: 'a', name: null }] }],
  ['an unknown role', { model: 'm', messages: [{ role: 'robot', content: 'a' }] }],
  ['tools', { model: 'm', messages, tools: [] }],
  ['tool_choice', { model: 'm', messages, tool_choice: 'auto' }],
  ['response_format', { model: 'm', messages, response_format: { type: 'text' } }],
  ['modalities', { model: 'm', messages, modalities: ['text'] }],
  ['audio', { model: 'm', messages, audio: {} }],
  ['reasoning', { model: 'm', messages, reasoning: { effort: 'low' } }],
  ['extra_body', { model: 'm', messages, extra_body: {} }],
  ['a null field', { model: 'm', messages, temperature: null }],
  ['temperature out of range', { model: 'm', messages, temperature: 2.5 }],
  ['top_p out of range', { model: 'm', messages, top_p: 1.5 }],
  ['a fractional max_tokens', { model: 'm', messages, max_tokens: 1.5 }],
  ['a negative max_tokens', { model: 'm', messages, max_tokens: -1 }],
  ['n above 1', { model: 'm', messages, n: 2 }],
  ['a stop list with a number', { model: 'm', messages, stop: ['a', 1] }],
  ['an unknown effort', { model: 'm', messages, reasoning_effort: 'extreme' }],
  ['a string stream', { model: 'm', messages, stream: 'yes' }],
  ['a null include_usage', { model: 'm', messages, stream_options: { include_usage: null } }],
  ['top_logprobs out of range', { model: 'm', messages, top_logprobs: 21 }],
  ['a __proto__ field', JSON.parse('{"model":"m","messages":[{"role":"user","content":"a"}],"__proto__":{"x":1}}')],
  ['a __proto__ message field', JSON.parse('{"model":"m","messages":[{"role":"user","content":"a","__proto__":{}}]}')],
];

describe('isPlainOpenAIChatBody', () => {
  it('accepts plain bodies, which the schema passes unchanged and which convert as they are', () => {
    for (const body of PLAIN) {
      assert.equal(isPlainOpenAIChatBody(body), true, JSON.stringify(body));
      const parsed = openAIChatRequestSchema.parse(body);
      assert.deepEqual(parsed, body, 'the schema changes nothing');
      assert.deepEqual(convertOpenAIRequestToChatRequest(body as never), convertOpenAIRequestToChatRequest(parsed));
    }
  });

  it('leaves everything else to the schema and the canonical path', () => {
    for (const [what, body] of UNUSUAL) assert.equal(isPlainOpenAIChatBody(body), false, what);
  });
});
