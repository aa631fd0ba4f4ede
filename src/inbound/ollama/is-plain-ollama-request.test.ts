import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../../test-support/fuzz/seeded-random.ts';
import { convertOllamaChatRequest } from './convert-ollama-chat-request.ts';
import { convertOllamaGenerationSettings } from './convert-ollama-generation-settings.ts';
import { isPlainOllamaChatRequest, isPlainOllamaGenerateRequest } from './is-plain-ollama-request.ts';
import { ollamaChatRequestSchema } from './ollama-chat-request-schema.ts';
import { ollamaGenerateRequestSchema } from './ollama-generate-request-schema.ts';

/** Values each field may take in a case, valid and not; `undefined` leaves the field out. */
const SHARED_VALUES: Record<string, unknown[]> = {
  model: ['llama3.2', '', 3, null, undefined],
  stream: [undefined, null, true, false, 'yes'],
  options: [undefined, null, {}, { num_predict: 32 }, { temperature: 0.2, stop: ['x'], seed: -1 }, { temperature: 'hot' }, [], 'x'],
  format: [undefined, null, 'json', { type: 'object' }, 'yaml', 3],
  keep_alive: [undefined, null, '5m', 0, -1, 'soon', true],
  think: [undefined, null, true, false, 'high', 'loud', 3],
  truncate: [undefined, null, true, 'no'],
  shift: [undefined, null, false, 1],
  logprobs: [undefined, null, true, false, 'yes'],
  top_logprobs: [undefined, null, 0, 5, 21, -1, 2.5, '3'],
  unknown_field: [undefined, undefined, 'x', { deep: [1] }],
};

const CHAT_VALUES: Record<string, unknown[]> = {
  ...SHARED_VALUES,
  messages: [
    undefined,
    null,
    [],
    [{ role: 'user', content: 'Say hello.' }],
    [
      { role: 'SYSTEM', content: 'Be brief.' },
      { role: 'user', content: null },
      { role: 'assistant', content: 'Hi', thinking: 'hmm' },
      { role: 'tool', content: '22°C', tool_call_id: 'call_1', tool_name: 'weather' },
    ],
    [{ role: 'user', content: 'x', images: null, tool_calls: null, extra: 1 }],
    [{ role: 'wizard', content: 'x' }],
    [{ role: 'user', content: 5 }],
    [{ role: 'user', content: 'x', images: ['aGk='] }],
    [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: {} } }] }],
    [{ content: 'x' }],
    ['hi'],
    'hi',
  ],
  tools: [undefined, undefined, null, [], [{ type: 'function', function: { name: 'f' } }], 'x'],
};

const GENERATE_VALUES: Record<string, unknown[]> = {
  ...SHARED_VALUES,
  prompt: [undefined, null, '', 'Say hello.', 5],
  suffix: [undefined, null, '', 'end', 5],
  system: [undefined, null, 'Be brief.', []],
  template: [undefined, null, '{{ .Prompt }}', 1],
  raw: [undefined, null, true, false, 'yes'],
  context: [undefined, null, [], [1, 2, 3], [1.5], ['1'], 'x'],
  images: [undefined, undefined, null, [], ['aGk='], [1]],
};

const CHAT_BASE: Record<string, unknown> = { model: 'llama3.2', messages: [{ role: 'user', content: 'Say hello.' }], stream: false, options: { num_predict: 32 } };
const GENERATE_BASE: Record<string, unknown> = { model: 'llama3.2', prompt: 'Say hello.', stream: false, options: { num_predict: 32 } };

function cases(values: Record<string, unknown[]>, base: Record<string, unknown>, seed: number): unknown[] {
  const asSent = (fields: Record<string, unknown>): unknown => JSON.parse(JSON.stringify(fields));
  const all: unknown[] = [asSent(base), {}];
  for (const [field, options] of Object.entries(values)) {
    for (const value of options) all.push(asSent({ ...base, [field]: value }));
  }
  const random = new SeededRandom(seed);
  for (let i = 0; i < 1200; i++) {
    const fields: Record<string, unknown> = {};
    for (const [field, options] of Object.entries(values)) fields[field] = random.chance(0.7) ? base[field] : random.pick(options);
    all.push(asSent(fields));
  }
  return all;
}

/** A conversion's result, or the error it throws, so both paths can be compared either way. */
function outcome(convert: () => unknown): unknown {
  try {
    return { value: convert() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** What the routes read of a body: each field the schema names, and the converted settings. */
function readByRoute(body: Record<string, unknown>, fields: string[]): unknown {
  return { fields: fields.map((field) => body[field]), settings: outcome(() => convertOllamaGenerationSettings(body)) };
}

describe('isPlainOllamaChatRequest', () => {
  it('takes only bodies the schema accepts, and they convert to the same canonical request as the parsed ones', () => {
    let plain = 0;
    let parsedOnly = 0;
    const fields = Object.keys(ollamaChatRequestSchema.shape);
    for (const body of cases(CHAT_VALUES, CHAT_BASE, 7)) {
      const parsed = ollamaChatRequestSchema.safeParse(body);
      if (!isPlainOllamaChatRequest(body)) {
        if (parsed.success) parsedOnly++;
        continue;
      }
      plain++;
      assert.ok(parsed.success, `the guard took a body the schema refuses: ${JSON.stringify(body)}`);
      assert.deepEqual(outcome(() => convertOllamaChatRequest(body, 'm')), outcome(() => convertOllamaChatRequest(parsed.data, 'm')), JSON.stringify(body));
      const read = { ...parsed.data, messages: undefined };
      assert.deepEqual(readByRoute({ ...body, messages: undefined }, fields), readByRoute(read, fields), JSON.stringify(body));
    }
    assert.ok(plain > 300, `only ${plain} plain bodies`);
    assert.ok(parsedOnly > 50, `only ${parsedOnly} valid bodies outside the guard`);
  });

  it('takes a text conversation as Ollama clients send it, and leaves tools and images to the schema', () => {
    assert.equal(isPlainOllamaChatRequest(CHAT_BASE), true);
    assert.equal(isPlainOllamaChatRequest({ ...CHAT_BASE, tools: [{ type: 'function', function: { name: 'f' } }] }), false);
    assert.equal(isPlainOllamaChatRequest({ ...CHAT_BASE, messages: [{ role: 'user', content: 'x', images: [] }] }), false);
  });
});

describe('isPlainOllamaGenerateRequest', () => {
  it('takes only bodies the schema accepts, and the route reads the same values from them as from the parsed ones', () => {
    let plain = 0;
    let parsedOnly = 0;
    const fields = Object.keys(ollamaGenerateRequestSchema.shape);
    for (const body of cases(GENERATE_VALUES, GENERATE_BASE, 13)) {
      const parsed = ollamaGenerateRequestSchema.safeParse(body);
      if (!isPlainOllamaGenerateRequest(body)) {
        if (parsed.success) parsedOnly++;
        continue;
      }
      plain++;
      assert.ok(parsed.success, `the guard took a body the schema refuses: ${JSON.stringify(body)}`);
      assert.deepEqual(readByRoute(body, fields), readByRoute(parsed.data, fields), JSON.stringify(body));
    }
    assert.ok(plain > 300, `only ${plain} plain bodies`);
    assert.ok(parsedOnly > 50, `only ${parsedOnly} valid bodies outside the guard`);
  });

  it('takes a prompt as Ollama clients send it, and leaves images to the schema', () => {
    assert.equal(isPlainOllamaGenerateRequest(GENERATE_BASE), true);
    assert.equal(isPlainOllamaGenerateRequest({ ...GENERATE_BASE, images: ['aGk='] }), false);
  });
});
