import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

describe('OpenAI endpoints refuse bad input in OpenAI shape and keep serving', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'model-a' }]);
    provider.script = textScript('still here');
    gateway = await startTestGateway({ body_limit: 4096 }, { adapters: [provider] });
  });
  after(() => gateway.close());

  async function post(path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; body: OpenAIErrorBody; headers: Headers }> {
    const response = await fetch(`${gateway.baseUrl}${path}`, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as OpenAIErrorBody, headers: response.headers };
  }

  async function assertStillServing(): Promise<void> {
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0]?.message.content, 'still here');
  }

  const cases: [string, string, string, number, string, string | null][] = [
    ['malformed JSON', '/v1/chat/completions', '{"model": "model-a", "messages": [', 400, 'request body is not valid JSON', null],
    ['an empty body', '/v1/chat/completions', '', 400, 'request body must be a JSON object', null],
    ['a JSON array', '/v1/chat/completions', '[1]', 400, 'request body must be a JSON object', null],
    ['a missing model', '/v1/chat/completions', '{"messages":[{"role":"user","content":"hi"}]}', 400, 'model: required', 'model'],
    ['missing messages', '/v1/chat/completions', '{"model":"model-a"}', 400, 'messages: required', 'messages'],
    ['empty messages', '/v1/chat/completions', '{"model":"model-a","messages":[]}', 400, 'messages: must have at least 1 item', 'messages'],
    [
      'an unknown role',
      '/v1/chat/completions',
      '{"model":"model-a","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"robot","content":"c"}]}',
      400,
      'messages[2].role: expected one of system, developer, user, assistant, tool',
      'messages[2].role',
    ],
    ['a wrong type', '/v1/chat/completions', '{"model":"model-a","messages":[{"role":"user","content":"a"}],"max_tokens":"ten"}', 400, 'max_tokens: expected number, received string', 'max_tokens'],
    ['n above 1', '/v1/chat/completions', '{"model":"model-a","messages":[{"role":"user","content":"a"}],"n":3}', 400, 'n: llmux returns one choice per request', 'n'],
    ['a prompt that is not text', '/v1/completions', '{"model":"model-a","prompt":{"text":"a"}}', 400, 'prompt: ', 'prompt'],
    ['an embedding without input', '/v1/embeddings', '{"model":"model-a"}', 400, 'input: required', 'input'],
    ['an image request without prompt', '/v1/images/generations', '{"model":"model-a"}', 400, 'prompt: required', 'prompt'],
  ];

  for (const [name, path, body, status, message, param] of cases) {
    it(`answers ${name} with ${status} naming the problem`, async () => {
      const answer = await post(path, body);
      assert.equal(answer.status, status);
      assert.equal(answer.body.error.type, 'invalid_request_error');
      assert.ok(answer.body.error.message.startsWith(message), answer.body.error.message);
      assert.equal(answer.body.error.param, param);
      assert.match(answer.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      await assertStillServing();
    });
  }

  it('answers an unknown /v1 path and a wrong method with a 404 in OpenAI shape', async () => {
    const unknown = await post('/v1/audio/transcriptions?x=1', '{}');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: { message: 'Invalid URL (POST /v1/audio/transcriptions)', type: 'invalid_request_error', param: null, code: 'unknown_url' } });
    const wrongMethod = await fetch(`${gateway.baseUrl}/v1/chat/completions`);
    assert.equal(wrongMethod.status, 404);
    assert.equal(((await wrongMethod.json()) as OpenAIErrorBody).error.message, 'Invalid URL (GET /v1/chat/completions)');
    const preflight = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000' } });
    assert.equal(preflight.status, 204);
  });

  it('parses a body sent with no content type', async () => {
    const answer = await post('/v1/chat/completions', '{"model":"model-a"}', {});
    assert.equal(answer.body.error.message, 'messages: required');
  });

  it('parses a body the same under every content type, JSON or not, with or without parameters', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await post('/v1/chat/completions', '{"model":"model-a"}', { 'content-type': type });
      assert.equal(answer.body.error.message, 'messages: required', type);
      const malformed = await post('/v1/chat/completions', '{"model":', { 'content-type': type });
      assert.equal(malformed.status, 400, type);
      assert.match(malformed.body.error.message, /^request body is not valid JSON/, type);
    }
    const oversized = await post('/v1/chat/completions', JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'x'.repeat(8000) }] }), {});
    assert.equal(oversized.status, 413);
    await assertStillServing();
  });

  it('answers an oversized body with 413 in OpenAI shape', async () => {
    const answer = await post('/v1/chat/completions', JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: 'x'.repeat(8000) }] }));
    assert.equal(answer.status, 413);
    assert.deepEqual(answer.body, { error: { message: 'request body is larger than the limit of 4096 bytes (body_limit in the config)', type: 'invalid_request_error', param: null, code: 'request_too_large' } });
    await assertStillServing();
  });

  it('refuses what no provider could answer before calling one', async () => {
    const before = provider.requests.length;
    const audio = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'model-a', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }),
    );
    assert.equal(audio.status, 400);
    assert.equal(audio.body.error.param, 'messages[0].content[0]');
    assert.equal(provider.requests.length, before);
  });
});
