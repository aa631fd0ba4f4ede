import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { decodeNdjson } from '../src/wire/ndjson-decoder.ts';
import { ScriptedProvider } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

async function post(gateway: TestGateway, path: string, body: unknown): Promise<{ status: number; contentType: string | null; bytes: Buffer }> {
  const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, contentType: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The NDJSON contract: one JSON object per line, each ended by "\n", no blank lines. */
function framedLines(bytes: Buffer): Record<string, unknown>[] {
  const text = bytes.toString('utf8');
  assert.ok(text.endsWith('\n'), 'the stream ends with a newline');
  assert.equal(text.includes('\n\n'), false, 'no blank lines');
  assert.equal(text.includes('\r'), false);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      assert.ok(line.startsWith('{') && line.endsWith('}'), `a whole object per line: ${line}`);
      return JSON.parse(line) as Record<string, unknown>;
    });
}

describe('Ollama NDJSON framing, read as bytes', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'm' }]);
    gateway = await startTestGateway({}, { adapters: [provider] });
  });
  after(() => gateway.close());
  beforeEach(() => {
    const events: ChatStreamEvent[] = [
      { type: 'text-delta', id: 't', text: 'Grüße ' },
      { type: 'text-delta', id: 't', text: '🎉\n{"x":1}' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 4 }, output: { total: 2 }, source: 'upstream' } },
    ];
    provider.script = events;
  });

  it('streams chat by default as application/x-ndjson, one object per line, ending done:true', async () => {
    const { status, contentType, bytes } = await post(gateway, '/api/chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 200);
    assert.equal(contentType, 'application/x-ndjson');
    const lines = framedLines(bytes);
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.deepEqual(Object.keys(line).slice(0, 3), ['model', 'created_at', 'message']);
      assert.match(String(line.created_at), TIMESTAMP);
      assert.equal((line.message as { role: string }).role, 'assistant');
    }
    assert.deepEqual(
      lines.map((line) => [(line.message as { content: string }).content, line.done]),
      [
        ['Grüße ', false],
        ['🎉\n{"x":1}', false],
        ['', true],
      ],
    );
    const final = lines[2] ?? {};
    assert.deepEqual(Object.keys(final), [
      'model',
      'created_at',
      'message',
      'done',
      'done_reason',
      'total_duration',
      'load_duration',
      'prompt_eval_count',
      'prompt_eval_duration',
      'eval_count',
      'eval_duration',
    ]);
    for (const key of ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration']) {
      assert.ok(Number.isInteger(final[key]), `${key} is an integer`);
    }
    assert.ok((final.eval_duration as number) > 0);
  });

  it('streams generate by default with `response`, and `context` on the final line', async () => {
    const { contentType, bytes } = await post(gateway, '/api/generate', { model: 'm', prompt: 'hi' });
    assert.equal(contentType, 'application/x-ndjson');
    const lines = framedLines(bytes);
    assert.deepEqual(
      lines.map((line) => line.response),
      ['Grüße ', '🎉\n{"x":1}', ''],
    );
    assert.ok(Array.isArray(lines[2]?.context));
    assert.equal(lines[2]?.done, true);
  });

  it('decodes to the same objects however the bytes are split, even mid-character', async () => {
    const { bytes } = await post(gateway, '/api/chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const whole = framedLines(bytes);
    for (let split = 1; split < bytes.length; split++) {
      const chunks = [bytes.subarray(0, split), bytes.subarray(split)];
      const decoded = [];
      for await (const value of decodeNdjson((async function* () {
        yield* chunks;
      })())) decoded.push(value);
      assert.deepEqual(decoded, whole, `split at byte ${split}`);
    }
  });

  it('answers stream:false with one JSON object, not NDJSON', async () => {
    const { contentType, bytes } = await post(gateway, '/api/chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assert.equal(contentType, 'application/json; charset=utf-8');
    const body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(body.message, { role: 'assistant', content: 'Grüße 🎉\n{"x":1}' });
    assert.equal(body.done, true);
  });

  it('answers a load request with one plain JSON object even when streaming', async () => {
    const { contentType, bytes } = await post(gateway, '/api/chat', { model: 'm', messages: [] });
    assert.equal(contentType, 'application/json; charset=utf-8');
    const body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['model', 'created_at', 'message', 'done', 'done_reason']);
    assert.equal(body.done_reason, 'load');
  });

  it('ends a stream that fails midway with an {"error"} line under HTTP 200', async () => {
    provider.script = [
      { type: 'text-delta', id: 't', text: 'part' },
      { type: 'error', error: new GatewayError('upstream', 'boom') },
    ];
    const { status, bytes } = await post(gateway, '/api/chat', { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 200);
    const lines = framedLines(bytes);
    assert.deepEqual(lines.at(-1), { error: 'boom' });
    assert.equal(lines.length, 2);
  });

  it('streams pull progress as NDJSON ending with success', async () => {
    const { contentType, bytes } = await post(gateway, '/api/pull', { name: 'm' });
    assert.equal(contentType, 'application/x-ndjson');
    assert.equal(bytes.toString('utf8'), '{"status":"pulling manifest"}\n{"status":"success"}\n');
  });
});
