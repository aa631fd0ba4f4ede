import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

describe('Ollama errors: shape, status and wording', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  async function call(method: string, path: string, body?: string): Promise<Answer> {
    const init: RequestInit = { method };
    if (body !== undefined) init.body = body;
    const response = await fetch(gateway.baseUrl + path, init);
    return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
  }

  async function expectError(method: string, path: string, body: string | undefined, status: number, message: string | RegExp): Promise<void> {
    const answer = await call(method, path, body);
    assert.equal(answer.status, status, `${path} ${body}: ${answer.text}`);
    assert.equal(answer.contentType, 'application/json; charset=utf-8');
    const parsed = JSON.parse(answer.text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['error']);
    if (typeof message === 'string') assert.equal(parsed.error, message);
    else assert.match(String(parsed.error), message);
  }

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'gpt-oss-120b' }, { id: 'nomic-embed-text' }]);
    gateway = await startTestGateway(
      { models: [{ name: 'plain', target: 'scripted/plain', capabilities: ['completion'] }] },
      { adapters: [provider] },
    );
  });
  after(() => gateway.close());
  beforeEach(() => {
    provider.requests.length = 0;
    provider.embedRequests.length = 0;
    provider.script = textScript('ok');
  });

  it('refuses bad bodies before any upstream call, and keeps serving', async () => {
    await expectError('POST', '/api/chat', '{"model":', 400, /^request body is not valid JSON: /);
    await expectError('POST', '/api/chat', undefined, 400, 'missing request body');
    await expectError('POST', '/api/generate', '', 400, 'missing request body');
    await expectError('POST', '/api/chat', '{"model":"gpt-oss-120b","messages":"hi"}', 400, 'json: cannot unmarshal string into Go struct field ChatRequest.messages of type []api.Message');
    await expectError('POST', '/api/generate', '{"model":"gpt-oss-120b","prompt":42}', 400, 'json: cannot unmarshal number into Go struct field GenerateRequest.prompt of type string');
    await expectError('POST', '/api/chat', '[1,2]', 400, 'json: cannot unmarshal array into Go value of type api.ChatRequest');
    await expectError(
      'POST',
      '/api/chat',
      JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'x', images: ['data:image/png;base64,not/base64!'] }] }),
      400,
      'illegal base64 data at input byte 10',
    );
    await expectError('POST', '/api/generate', JSON.stringify({ model: 'gpt-oss-120b', prompt: 'x', images: ['%%%'] }), 400, 'illegal base64 data at input byte 0');
    await expectError(
      'POST',
      '/api/chat',
      JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: '{not json' } }] }] }),
      400,
      /^invalid tool call arguments in messages\[0\]\.tool_calls\[0\]\.function\.arguments: expected a JSON object/,
    );
    await expectError('POST', '/api/chat', JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'x' }], options: { temperature: 'warm' } }), 400, 'option "temperature" must be of type float32');
    await expectError('POST', '/api/chat', JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'x' }], keep_alive: 'forever' }), 400, 'time: invalid duration "forever"');
    await expectError('POST', '/api/chat', JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'x' }], format: 'yaml' }), 400, /^invalid format: /);
    await expectError('POST', '/api/generate', JSON.stringify({ model: 'gpt-oss-120b', prompt: 'x', raw: true, system: 's' }), 400, 'raw mode does not support template, system, or context');
    await expectError('POST', '/api/embed', JSON.stringify({ model: 'nomic-embed-text', input: ['a', 1] }), 400, 'invalid input type');
    await expectError('POST', '/api/embed', JSON.stringify({ model: 'nomic-embed-text', input: 5 }), 400, 'invalid input type');
    assert.equal(provider.requests.length, 0);
    assert.equal(provider.embedRequests.length, 0);

    const ok = await call('POST', '/api/chat', JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'x' }], stream: false }));
    assert.equal(ok.status, 200);
    assert.equal('error' in (JSON.parse(ok.text) as object), false, 'a success never carries an error key');
    assert.equal(provider.requests.length, 1);
  });

  it("words missing and unknown models as Ollama does, per route", async () => {
    await expectError('POST', '/api/chat', JSON.stringify({ messages: [] }), 400, 'model is required');
    await expectError('POST', '/api/chat', JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), 404, "model 'nope' not found; known models: plain, gpt-oss-120b, nomic-embed-text");
    await expectError('POST', '/api/generate', JSON.stringify({ prompt: 'x' }), 404, "model '' not found; known models: plain, gpt-oss-120b, nomic-embed-text");
    await expectError('POST', '/api/generate', JSON.stringify({ model: 'nope', prompt: 'x' }), 404, "model 'nope' not found; known models: plain, gpt-oss-120b, nomic-embed-text");
    await expectError('POST', '/api/show', JSON.stringify({}), 400, 'model is required');
    await expectError('POST', '/api/show', JSON.stringify({ name: 'nope' }), 404, "model 'nope' not found; known models: plain, gpt-oss-120b, nomic-embed-text");
    await expectError('POST', '/api/embed', JSON.stringify({ model: 'nope', input: 'x' }), 404, "model 'nope' not found; known models: plain, gpt-oss-120b, nomic-embed-text");
    await expectError('POST', '/api/embeddings', JSON.stringify({ model: 'nope', prompt: 'x' }), 404, 'model "nope" not found, try pulling it first; known models: plain, gpt-oss-120b, nomic-embed-text');
    await expectError('POST', '/api/embeddings', JSON.stringify({ prompt: 'x' }), 400, 'model is required');
    await expectError('POST', '/api/create', JSON.stringify({ model: 'x' }), 400, "neither 'from' or 'files' was specified");
    await expectError('DELETE', '/api/delete', JSON.stringify({ name: 'nope' }), 404, "model 'nope' not found");
    assert.equal(provider.requests.length, 0);
  });

  it('refuses what a model declared it cannot do, with Ollama wording', async () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }];
    await expectError('POST', '/api/chat', JSON.stringify({ model: 'plain', messages: [{ role: 'user', content: 'x' }], tools }), 400, 'registry.ollama.ai/library/plain:latest does not support tools');
    await expectError('POST', '/api/chat', JSON.stringify({ model: 'plain', messages: [{ role: 'user', content: 'x' }], think: true }), 400, '"plain" does not support thinking');
    await expectError('POST', '/api/chat', JSON.stringify({ model: 'nomic-embed-text', messages: [{ role: 'user', content: 'x' }] }), 400, '"nomic-embed-text" does not support chat');
    await expectError('POST', '/api/generate', JSON.stringify({ model: 'nomic-embed-text', prompt: 'x' }), 400, '"nomic-embed-text" does not support generate');
    assert.equal(provider.requests.length, 0);
    // think:false is always fine, and a guessed capability never refuses: gpt-oss takes tools.
    const ok = await call('POST', '/api/chat', JSON.stringify({ model: 'plain', messages: [{ role: 'user', content: 'x' }], think: false, stream: false }));
    assert.equal(ok.status, 200);
  });

  it('keeps upstream statuses rather than collapsing them to 500', async () => {
    provider.script = new GatewayError('rate_limit', 'too many requests', { retryable: false, retryAfterSeconds: 3 });
    const limited = await call('POST', '/api/chat', JSON.stringify({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'x' }] }));
    assert.equal(limited.status, 429);
    assert.deepEqual(JSON.parse(limited.text), { error: 'too many requests' });
    provider.script = new GatewayError('authentication', 'the provider rejected its API key');
    await expectError('POST', '/api/generate', JSON.stringify({ model: 'gpt-oss-120b', prompt: 'x', stream: false }), 401, 'the provider rejected its API key');
  });

  it("answers a wrong method with gin's plain 405, an unknown path with its plain 404, and blobs with 4xx", async () => {
    const wrong = await call('GET', '/api/chat');
    assert.equal(wrong.status, 405);
    assert.match(wrong.contentType ?? '', /^text\/plain/);
    assert.equal(wrong.text, '405 method not allowed');
    assert.equal((await call('POST', '/api/tags', '{}')).status, 405);
    for (const path of ['/api/generate', '/api/embed', '/api/embeddings', '/api/show', '/api/pull', '/api/push', '/api/create', '/api/copy', '/api/delete']) {
      const answer = await call(path === '/api/delete' ? 'POST' : 'GET', path);
      assert.deepEqual([answer.status, answer.text], [405, '405 method not allowed'], path);
    }
    for (const [method, path] of [['PUT', '/api/version'], ['DELETE', '/api/ps'], ['PATCH', '/api/tags']] as const) {
      assert.equal((await call(method, path)).status, 405, `${method} ${path}`);
    }
    for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/chat/extra'], ['POST', '/api']] as const) {
      const unknown = await call(method, path, method === 'POST' ? '{}' : undefined);
      assert.equal(unknown.status, 404, `${method} ${path}`);
      assert.match(unknown.contentType ?? '', /^text\/plain/);
      assert.equal(unknown.text, '404 page not found');
    }
    const head = await fetch(`${gateway.baseUrl}/api/blobs/sha256:${'0'.repeat(64)}`, { method: 'HEAD' });
    assert.equal(head.status, 404);
    const upload = await fetch(`${gateway.baseUrl}/api/blobs/sha256:${'0'.repeat(64)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 1, 2, 255]),
    });
    assert.equal(upload.status, 403);
    assert.equal(upload.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.match(((await upload.json()) as { error: string }).error, /not supported/);
  });
});
