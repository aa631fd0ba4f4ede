import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlainCompletion } from './is-plain-completion.ts';
import { openAICompatibleCompletionSchema } from './openai-compatible-response-schemas.ts';

const plain = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1754550000,
  model: 'm',
  system_fingerprint: 'fp',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi ☕', reasoning: 'r', refusal: null }, finish_reason: 'stop', stop_reason: 'END' }],
  usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 1 } },
  time_info: { total_time: 0.1 },
};

const choice = plain.choices[0];
const UNUSUAL: [string, unknown][] = [
  ['not an object', 'hello'],
  ['no choices', { ...plain, choices: undefined }],
  ['a numeric id', { ...plain, id: 7 }],
  ['tool calls', { ...plain, choices: [{ ...choice, message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }] } }] }],
  ['content parts', { ...plain, choices: [{ ...choice, message: { role: 'assistant', content: [{ type: 'text', text: 'Hi' }] } }] }],
  ['logprobs', { ...plain, choices: [{ ...choice, logprobs: { content: [] } }] }],
  ['a string usage count', { ...plain, usage: { prompt_tokens: '1' } }],
  ['odd usage details', { ...plain, usage: { completion_tokens_details: { reasoning_tokens: 'x' } } }],
  ['a numeric finish reason', { ...plain, choices: [{ ...choice, finish_reason: 1 }] }],
];

describe('isPlainCompletion', () => {
  it('accepts a plain answer, which the schema would pass unchanged', () => {
    for (const payload of [plain, { choices: [] }, { ...plain, usage: null, choices: [{ message: null }] }]) {
      assert.equal(isPlainCompletion(payload), true);
      assert.deepEqual(openAICompatibleCompletionSchema.parse(payload), payload);
    }
  });

  it('leaves anything else to the schema', () => {
    for (const [what, payload] of UNUSUAL) assert.equal(isPlainCompletion(payload), false, what);
  });
});
