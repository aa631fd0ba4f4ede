import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { decodeOllamaStream, OllamaStreamDecoder } from './ollama-stream-decoder.ts';

async function decode(chunks: (string | Uint8Array)[]): Promise<ChatStreamEvent[]> {
  async function* source(): AsyncGenerator<string | Uint8Array> {
    yield* chunks;
  }
  const events: ChatStreamEvent[] = [];
  for await (const event of decodeOllamaStream(source(), 'local')) events.push(event);
  return events;
}

const created = '2026-12-06T01:00:00.123456Z';
const line = (value: unknown): string => JSON.stringify(value) + '\n';
const STREAM =
  line({ model: 'qwen3', created_at: created, message: { role: 'assistant', content: '', thinking: 'Let me' }, done: false }) +
  line({ model: 'qwen3', created_at: created, message: { role: 'assistant', content: '', thinking: ' think' }, done: false }) +
  line({ model: 'qwen3', created_at: created, message: { role: 'assistant', content: 'Grüße' }, done: false }) +
  line({
    model: 'qwen3',
    created_at: created,
    message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_k3j9x0ab', function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } }] },
    done: false,
  }) +
  line({
    model: 'qwen3',
    created_at: created,
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 4883583458,
    load_duration: 1334875,
    prompt_eval_count: 26,
    prompt_eval_duration: 342546000,
    eval_count: 282,
    eval_duration: 4535599000,
  });

const EXPECTED: ChatStreamEvent[] = [
  { type: 'response-start', model: 'qwen3', created: 1796518800 },
  { type: 'reasoning-start', id: '0' },
  { type: 'reasoning-delta', id: '0', text: 'Let me' },
  { type: 'reasoning-delta', id: '0', text: ' think' },
  { type: 'reasoning-end', id: '0' },
  { type: 'text-start', id: '1' },
  { type: 'text-delta', id: '1', text: 'Grüße' },
  { type: 'text-end', id: '1' },
  { type: 'tool-call-start', id: '2', toolCallId: 'call_k3j9x0ab', name: 'get_weather' },
  { type: 'tool-call-delta', id: '2', argumentsDelta: '{"city":"Tokyo"}' },
  { type: 'tool-call-end', id: '2' },
  {
    type: 'finish',
    finishReason: 'tool-calls',
    rawFinishReason: 'stop',
    usage: {
      input: { total: 26 },
      output: { total: 282 },
      source: 'upstream',
      raw: { prompt_eval_count: 26, eval_count: 282, total_duration: 4883583458, load_duration: 1334875, prompt_eval_duration: 342546000, eval_duration: 4535599000 },
    },
    timing: { queueMs: 1.334875, promptMs: 342.546, completionMs: 4535.599, totalMs: 4883.583458, source: 'upstream' },
  },
];

describe('decodeOllamaStream', () => {
  it('turns thinking, content, a whole tool call and the final metrics into canonical events', async () => {
    assert.deepEqual(await decode([STREAM]), EXPECTED);
  });

  it('gives the same events however the bytes are split, mid-line and mid-character', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const umlaut = STREAM.indexOf('ü');
    const splitPoints = [1, 17, new TextEncoder().encode(STREAM.slice(0, umlaut)).length + 1, bytes.length - 3];
    const pieces: Uint8Array[] = [];
    let start = 0;
    for (const point of splitPoints) {
      pieces.push(bytes.slice(start, point));
      start = point;
    }
    pieces.push(bytes.slice(start));
    assert.deepEqual(await decode(pieces), EXPECTED);
    assert.deepEqual(await decode([...bytes].map((byte) => Uint8Array.of(byte))), EXPECTED);
  });

  it("ends with an error event on Ollama's {\"error\"} line after output started", async () => {
    const events = await decode([
      line({ model: 'm', created_at: created, message: { role: 'assistant', content: 'Hi' }, done: false }),
      line({ error: 'an error was encountered while running the model: unexpected EOF' }),
    ]);
    assert.deepEqual(events.slice(0, 4).map((event) => event.type), ['response-start', 'text-start', 'text-delta', 'text-end']);
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.match(last.type === 'error' ? last.error.message : '', /^provider 'local' \(Ollama\) failed while answering: an error was encountered while running the model: unexpected EOF$/);
    assert.equal(events.length, 5);
  });

  it('maps done_reason length, and a stream cut before done is an error, never a silent success', async () => {
    const length = await decode([line({ model: 'm', message: { role: 'assistant', content: 'a' }, done: false }), line({ model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'length', eval_count: 1 })]);
    const finish = length.at(-1);
    assert.equal(finish?.type === 'finish' ? finish.finishReason : undefined, 'length');
    const cut = await decode([line({ model: 'm', message: { role: 'assistant', content: 'a' }, done: false })]);
    assert.equal(cut.at(-1)?.type, 'error');
    const garbage = await decode(['not json\n']);
    assert.equal(garbage.at(-1)?.type, 'error');
  });
});

describe('OllamaStreamDecoder', () => {
  it('decodes each network chunk at once into the events its whole lines complete', () => {
    const decoder = new OllamaStreamDecoder('local');
    const bytes = new TextEncoder().encode(
      line({ model: 'qwen3', created_at: created, message: { role: 'assistant', content: 'Grü' }, done: false }) +
        line({ model: 'qwen3', created_at: created, message: { role: 'assistant', content: 'ße' }, done: false }) +
        line({ model: 'qwen3', created_at: created, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 }),
    );
    const secondLine = bytes.indexOf(10) + 1;
    const cut = bytes.indexOf(0xc3, secondLine) + 1; // inside "ß"
    assert.deepEqual(
      decoder.push(bytes.subarray(0, cut)).map((event) => event.type),
      ['response-start', 'text-start', 'text-delta'],
    );
    assert.deepEqual(decoder.push(bytes.subarray(cut, cut + 1)), []);
    const rest = decoder.push(bytes.subarray(cut + 1));
    assert.deepEqual(rest.map((event) => (event.type === 'text-delta' ? event.text : event.type)), ['ße', 'text-end', 'finish']);
    assert.equal(decoder.isEnded, true);
    assert.deepEqual(decoder.end(), []);
  });

  it('ends a stream without a done line, or a broken one, with one error', () => {
    const cut = new OllamaStreamDecoder('local');
    cut.push(line({ model: 'qwen3', created_at: created, message: { role: 'assistant', content: 'Hi' }, done: false }));
    assert.match(String((cut.end().at(-1) as { error?: Error }).error?.message), /without a done line/);
    const broken = new OllamaStreamDecoder('local');
    assert.deepEqual(broken.fail(new Error('socket hang up')).map((event) => event.type), ['response-start', 'error']);
  });
});
