import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlainDeltaChunk } from './is-plain-delta-chunk.ts';
import { openAICompatibleChunkSchema } from './openai-compatible-response-schemas.ts';

const head = { id: 'c1', object: 'chat.completion.chunk', created: 1700000000, model: 'm1', system_fingerprint: 'fp' };
const choice = (delta: unknown, extra: Record<string, unknown> = {}): unknown => ({ ...head, choices: [{ index: 0, delta, finish_reason: null, ...extra }] });

const plain: unknown[] = [
  choice({ role: 'assistant', content: '' }),
  choice({ content: 'Hi', reasoning: null }),
  choice({ reasoning_content: 'hmm' }),
  choice({}, { finish_reason: 'stop', logprobs: null }),
  choice({}, { finish_reason: 'stop', stop_reason: '</answer>' }),
  choice({}, { finish_reason: 'stop', stop_reason: 128001 }),
  choice(null),
  { ...head, choices: [], usage: null },
  { ...head, time_info: { queue_time: 0.1 }, choices: [{ delta: { content: 'x', refusal: null, tool_calls: null } }] },
  { ...head, choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
  { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, completion_tokens_details: { reasoning_tokens: 1 } } },
];

const notPlain: unknown[] = [
  choice({ tool_calls: [{ index: 0, id: 't', function: { name: 'f', arguments: '' } }] }),
  choice({ content: [{ type: 'text', text: 'parts' }] }),
  choice({ content: 'x' }, { logprobs: { content: [] } }),
  { ...head, choices: [{ index: 0, delta: { content: 'a' } }, { index: 1, delta: { content: 'b' } }] },
  { ...head, choices: [], usage: { prompt_tokens: 'many' } },
  choice({ content: 42 }),
  choice({ content: 'x' }, { finish_reason: 7 }),
  choice({}, { finish_reason: 'stop', stop_reason: { token: 1 } }),
  choice('text'),
  { ...head, id: 5, choices: [] },
  { ...head, choices: 'none' },
  [head],
  null,
  'data',
];

describe('isPlainDeltaChunk', () => {
  it('accepts only chunks the schema accepts, and reads them as the schema does', () => {
    for (const payload of plain) {
      assert.equal(isPlainDeltaChunk(payload), true, JSON.stringify(payload));
      const parsed = openAICompatibleChunkSchema.safeParse(payload);
      assert.ok(parsed.success);
      assert.deepEqual(parsed.data, payload);
    }
  });

  it('leaves tool calls, content parts, logprobs, several choices and wrong types to the schema', () => {
    for (const payload of notPlain) assert.equal(isPlainDeltaChunk(payload), false, JSON.stringify(payload));
    // The wrong types among them the schema refuses too.
    for (const payload of notPlain.slice(4)) assert.equal(openAICompatibleChunkSchema.safeParse(payload).success, false, JSON.stringify(payload));
  });
});
