import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { encodeNdjsonLine } from '../src/wire/ndjson-encoder.ts';
import { encodeSseData, encodeSseEvent } from '../src/wire/sse-encoder.ts';
import { ScriptedProvider } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * Python's `str.splitlines()` boundaries, which httpx's `LineDecoder` (under ollama-python and the
 * OpenAI Python SDK) splits a streamed body on: \n \r \v \f \x1c \x1d \x1e \x85 U+2028 U+2029.
 * https://docs.python.org/3/library/stdtypes.html#str.splitlines
 */
function pythonSplitlines(text: string): string[] {
  return text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/).filter((line) => line !== '');
}

const SEPARATED = 'line one\u2028line two\u2029end';

describe('U+2028 and U+2029 in streamed answers', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'm', capabilities: ['completion', 'tools', 'thinking'] }]);
    const events: ChatStreamEvent[] = [
      { type: 'response-start', id: 'r1' },
      { type: 'reasoning-start', id: 'b0' },
      { type: 'reasoning-delta', id: 'b0', text: 'think\u2028more' },
      { type: 'reasoning-end', id: 'b0' },
      { type: 'text-start', id: 'b1' },
      { type: 'text-delta', id: 'b1', text: SEPARATED },
      { type: 'text-end', id: 'b1' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 3 }, output: { total: 5 }, source: 'upstream' } },
    ];
    provider.script = events;
    gateway = await startTestGateway({}, { adapters: [provider] });
  });
  after(() => gateway.close());

  async function body(path: string, request: unknown): Promise<string> {
    const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(request) });
    assert.equal(response.status, 200);
    return response.text();
  }

  for (const path of ['/api/chat', '/api/generate']) {
    it(`${path}: every line Python's splitlines() cuts is whole JSON, and the text survives`, async () => {
      const request = path === '/api/chat' ? { model: 'm', messages: [{ role: 'user', content: 'hi' }] } : { model: 'm', prompt: 'hi' };
      const text = await body(path, request);
      assert.equal(/[\u2028\u2029]/.test(text), false, 'no raw separator on the wire');
      assert.ok(text.includes('line one\\u2028line two\\u2029end'), 'escaped as Go writes it');
      const lines = pythonSplitlines(text).map((line) => JSON.parse(line) as Record<string, unknown>);
      const content = lines.map((line) => (line.message as { content?: string } | undefined)?.content ?? (line.response as string | undefined) ?? '').join('');
      assert.equal(content, SEPARATED);
    });
  }

  for (const path of ['/v1/chat/completions', '/v1/completions']) {
    it(`${path}: every SSE data line Python's splitlines() cuts is whole JSON`, async () => {
      const request = path === '/v1/chat/completions' ? { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] } : { model: 'm', stream: true, prompt: 'hi' };
      const text = await body(path, request);
      assert.equal(/[\u2028\u2029]/.test(text), false, 'no raw separator on the wire');
      const payloads = pythonSplitlines(text)
        .map((line) => line.replace(/^data: /, ''))
        .filter((line) => line !== '[DONE]');
      const chunks = payloads.map((line) => JSON.parse(line) as { choices: { delta?: { content?: string }; text?: string }[] });
      const content = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? chunk.choices[0]?.text ?? '').join('');
      assert.equal(content, SEPARATED);
    });
  }

  it('/v1/responses: every SSE data line Python\'s splitlines() cuts is whole JSON', async () => {
    const text = await body('/v1/responses', { model: 'm', stream: true, input: 'hi' });
    assert.equal(/[\u2028\u2029]/.test(text), false, 'no raw separator on the wire');
    const events = pythonSplitlines(text)
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: string });
    assert.equal(events.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta).join(''), SEPARATED);
  });

  it('the NDJSON and SSE encoders escape them too', () => {
    assert.equal(encodeNdjsonLine({ a: '\u2028\u2029' }), '{"a":"\\u2028\\u2029"}\n');
    assert.equal(encodeSseData(JSON.stringify({ a: '\u2028' })), 'data: {"a":"\\u2028"}\n\n');
    assert.equal(encodeSseEvent('x', JSON.stringify({ a: '\u2029' })), 'event: x\ndata: {"a":"\\u2029"}\n\n');
  });
});
