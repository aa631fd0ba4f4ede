import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const METRICS = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'] as const;
/** How long the fake upstream takes to answer: the measured durations cannot be shorter. */
const UPSTREAM_DELAY_MS = 15;

function sse(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * The final object's metrics when the upstream reports neither timing nor usage (a plain
 * OpenAI-compatible server): measured around the upstream call and counted with a tokenizer,
 * integers, eval_duration above 0 — for streamed answers and for `stream:false`, which is served
 * by a non-streaming upstream call.
 */
describe('Ollama metrics measured when the upstream gives none', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;

  async function post(path: string, body: unknown): Promise<{ contentType: string | null; text: string }> {
    const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    return { contentType: response.headers.get('content-type'), text: await response.text() };
  }

  function assertMeasured(final: Record<string, unknown>): void {
    for (const key of METRICS) assert.ok(Number.isInteger(final[key]), `${key} is an integer: ${String(final[key])}`);
    const total = final.total_duration as number;
    assert.ok(total >= (UPSTREAM_DELAY_MS - 5) * 1e6, `total_duration ${total} ns covers the upstream's ${UPSTREAM_DELAY_MS} ms`);
    assert.ok((final.eval_duration as number) > 0);
    assert.ok((final.eval_duration as number) <= total);
    assert.ok((final.prompt_eval_duration as number) <= total);
    assert.ok((final.prompt_eval_count as number) > 0, 'prompt tokens counted');
    assert.ok((final.eval_count as number) > 0, 'answer tokens counted');
  }

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    gateway = await startTestGateway({
      providers: [{ id: 'plain', type: 'openai-compatible', base_url: `${upstream.baseUrl}/v1`, api_key: 'sk-test', models: ['m'] }],
      models: [{ name: 'm', target: 'plain/m', capabilities: ['completion'] }],
    });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.reset();
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'm', object: 'model' }] });
    upstream.on('POST', '/v1/chat/completions', async (call, response) => {
      await sleep(UPSTREAM_DELAY_MS);
      const stream = (call.json as { stream?: boolean }).stream === true;
      if (!stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'c1',
            object: 'chat.completion',
            created: 1,
            model: 'm',
            choices: [{ index: 0, message: { role: 'assistant', content: 'The sky is blue because of Rayleigh scattering.' }, finish_reason: 'stop' }],
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'The sky is blue.' }, finish_reason: null }] }));
      response.end(sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + 'data: [DONE]\n\n');
    });
  });

  it('chat stream:false: one object, a non-streaming upstream call, measured metrics', async () => {
    const { contentType, text } = await post('/api/chat', { model: 'm', messages: [{ role: 'user', content: 'Why is the sky blue?' }], stream: false });
    assert.equal(contentType, 'application/json; charset=utf-8');
    const body = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(body.message, { role: 'assistant', content: 'The sky is blue because of Rayleigh scattering.' });
    assert.equal(body.done_reason, 'stop');
    assertMeasured(body);
    assert.notEqual((upstream.lastCall('/v1/chat/completions')?.json as { stream?: boolean }).stream, true, 'the upstream is asked for a whole answer');
  });

  it('generate stream:false: the same metrics, and context', async () => {
    const body = JSON.parse((await post('/api/generate', { model: 'm', prompt: 'Why is the sky blue?', stream: false })).text) as Record<string, unknown>;
    assert.equal(body.response, 'The sky is blue because of Rayleigh scattering.');
    assert.ok(Array.isArray(body.context));
    assertMeasured(body);
  });

  it('streamed chat: the final chunk carries the same measured metrics', async () => {
    const { contentType, text } = await post('/api/chat', { model: 'm', messages: [{ role: 'user', content: 'Why is the sky blue?' }] });
    assert.equal(contentType, 'application/x-ndjson');
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    const final = lines[1] ?? {};
    assert.equal(final.done, true);
    assertMeasured(final);
    for (const key of METRICS) assert.equal(key in (lines[0] ?? {}), false, `${key} only on the final chunk`);
  });
});
