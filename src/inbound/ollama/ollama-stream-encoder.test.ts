import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { readChatStreamBody } from '../../../test-support/read-chat-stream-body.ts';
import { OllamaStreamEncoder, type OllamaStreamOptions } from './ollama-stream-encoder.ts';

const TIMING = { queueMs: 0.5, promptMs: 12.25, completionMs: 80, totalMs: 92.75, source: 'upstream' as const };
const USAGE = { input: { total: 26 }, output: { total: 3 }, source: 'upstream' as const };
const STAMP = /"created_at":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z"/g;

async function encode(events: ChatStreamEvent[], options: OllamaStreamOptions): Promise<string> {
  let out = '';
  for (const line of await readChatStreamBody(new OllamaStreamEncoder(options), events.map((event) => [event]))) {
    assert.ok(line.endsWith('\n') && line.indexOf('\n') === line.length - 1, 'each chunk is exactly one line');
    out += line;
  }
  const stamps = out.match(STAMP) ?? [];
  assert.equal(stamps.length, out.split('\n').filter((line) => line.includes('"model"')).length, 'every chunk has an RFC 3339 µs timestamp');
  return out.replace(STAMP, '"created_at":"T"');
}

describe('OllamaStreamEncoder', () => {
  it('encodes a chat answer byte for byte: text chunks, then an empty final chunk with metrics', async () => {
    const out = await encode(
      [
        { type: 'response-start', id: 'x' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', text: 'Hé "you"' },
        { type: 'text-delta', id: 't', text: '' },
        { type: 'text-delta', id: 't', text: '\n🎉' },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: 'stop', usage: USAGE, timing: TIMING },
      ],
      { kind: 'chat', model: 'llama3.2' },
    );
    assert.equal(
      out,
      '{"model":"llama3.2","created_at":"T","message":{"role":"assistant","content":"Hé \\"you\\""},"done":false}\n' +
        '{"model":"llama3.2","created_at":"T","message":{"role":"assistant","content":"\\n🎉"},"done":false}\n' +
        '{"model":"llama3.2","created_at":"T","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop",' +
        '"total_duration":92750000,"load_duration":500000,"prompt_eval_count":26,"prompt_eval_duration":12250000,"eval_count":3,"eval_duration":80000000}\n',
    );
  });

  it('puts thinking in its own field and each tool call whole in one chunk; done_reason stays stop', async () => {
    const out = await encode(
      [
        { type: 'reasoning-start', id: 'r' },
        { type: 'reasoning-delta', id: 'r', text: 'Let me' },
        { type: 'reasoning-end', id: 'r' },
        { type: 'tool-call-start', id: 'b3', toolCallId: 'upstream-id', name: 'get_weather' },
        { type: 'tool-call-delta', id: 'b3', argumentsDelta: '{"city":' },
        { type: 'tool-call-delta', id: 'b3', argumentsDelta: '"Tokyo"}' },
        { type: 'tool-call-end', id: 'b3' },
        { type: 'tool-call-start', id: 'b4', toolCallId: 'b', name: 'now' },
        { type: 'tool-call-end', id: 'b4' },
        { type: 'finish', finishReason: 'tool-calls', usage: USAGE, timing: TIMING },
      ],
      { kind: 'chat', model: 'm' },
    );
    const lines = out.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    assert.deepEqual(lines[0]?.message, { role: 'assistant', content: '', thinking: 'Let me' });
    const first = (lines[1]?.message as { tool_calls: { id: string; function: unknown }[] }).tool_calls;
    assert.equal(first.length, 1);
    assert.match(first[0]?.id ?? '', /^call_[a-z0-9]{8}$/);
    assert.deepEqual(first[0]?.function, { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } });
    const second = (lines[2]?.message as { tool_calls: { function: unknown }[] }).tool_calls;
    assert.deepEqual(second[0]?.function, { index: 1, name: 'now', arguments: {} });
    assert.equal(lines[3]?.done_reason, 'stop');
  });

  it('encodes generate chunks in `response`, with `context` on the final chunk', async () => {
    const out = await encode(
      [
        { type: 'text-delta', id: 't', text: 'The' },
        { type: 'reasoning-delta', id: 'r', text: 'hm' },
        { type: 'finish', finishReason: 'length', usage: USAGE, timing: { ...TIMING, completionMs: 0 } },
      ],
      { kind: 'generate', model: 'llama3.2', context: async (answer) => [answer.length, 7] },
    );
    assert.equal(
      out,
      '{"model":"llama3.2","created_at":"T","response":"The","done":false}\n' +
        '{"model":"llama3.2","created_at":"T","response":"","thinking":"hm","done":false}\n' +
        '{"model":"llama3.2","created_at":"T","response":"","done":true,"done_reason":"length","context":[3,7],' +
        '"total_duration":92750000,"load_duration":500000,"prompt_eval_count":26,"prompt_eval_duration":12250000,"eval_count":3,"eval_duration":1}\n',
    );
  });

  it('ends with an error line when the stream fails after it began', async () => {
    const out = await encode(
      [
        { type: 'text-delta', id: 't', text: 'Hi' },
        { type: 'error', error: new GatewayError('upstream', 'upstream went away') },
      ],
      { kind: 'chat', model: 'm' },
    );
    assert.equal(out, '{"model":"m","created_at":"T","message":{"role":"assistant","content":"Hi"},"done":false}\n{"error":"upstream went away"}\n');
  });

  it('ends with an error line when the stream stops without a finish', async () => {
    const out = await encode([{ type: 'text-delta', id: 't', text: 'Hi' }], { kind: 'generate', model: 'm' });
    assert.match(out.split('\n')[1] ?? '', /^\{"error":"the upstream stream ended/);
  });

  it('reports tool call arguments that are not a JSON object as an error line', async () => {
    const out = await encode(
      [
        { type: 'tool-call-start', id: 'b0', toolCallId: 'a', name: 'f' },
        { type: 'tool-call-delta', id: 'b0', argumentsDelta: '{"x":' },
        { type: 'tool-call-end', id: 'b0' },
        { type: 'finish', finishReason: 'stop' },
      ],
      { kind: 'chat', model: 'm' },
    );
    assert.match(out, /^\{"error":"the model called tool 'f' with arguments that are not a JSON object: \{\\"x\\":"\}\n$/);
  });

  it('renders files the model produced as Markdown text', async () => {
    const out = await encode(
      [
        { type: 'file', url: 'https://cdn.example/cat.png', mediaType: 'image/png', name: 'cat' },
        { type: 'finish', finishReason: 'stop' },
      ],
      { kind: 'chat', model: 'm' },
    );
    assert.equal(JSON.parse(out.split('\n')[0] ?? '').message.content, '\n![cat](https://cdn.example/cat.png)\n');
    const final = JSON.parse(out.split('\n')[1] ?? '') as Record<string, unknown>;
    assert.deepEqual(
      [final.total_duration, final.load_duration, final.prompt_eval_count, final.eval_count, final.eval_duration],
      [0, 0, 0, 0, 1],
      'metrics are always present as numbers',
    );
  });
});
