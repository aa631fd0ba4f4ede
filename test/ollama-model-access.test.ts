import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

async function post(gateway: TestGateway, path: string, body: unknown, key?: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
  const response = await fetch(gateway.baseUrl + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

async function listed(gateway: TestGateway, path: '/api/tags' | '/api/ps', key?: string): Promise<string[]> {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
  const response = await fetch(gateway.baseUrl + path, { headers });
  assert.equal(response.status, 200, path);
  return ((await response.json()) as { models: { name: string }[] }).models.map((model) => model.name);
}

const chatBody = (model: string, stream: boolean): unknown => ({ model, messages: [{ role: 'user', content: 'hi' }], stream });

describe('Ollama routes: a wildcard alias serves chat and generate, not show', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('bots', [{ id: 'Public-Bot' }]);
    gateway = await startTestGateway({ models: [{ name: '*', target: 'bots/*' }] }, { adapters: [provider] });
  });
  after(() => gateway.close());
  beforeEach(() => {
    provider.requests.length = 0;
    provider.script = textScript('private hello');
  });

  it('sends an unlisted name to the provider on /api/chat, streaming or not', async () => {
    const streamed = await post(gateway, '/api/chat', chatBody('PrivateBot', true));
    assert.equal(streamed.status, 200);
    assert.match(streamed.text, /"content":"private hello"/);
    const whole = await post(gateway, '/api/chat', chatBody('PrivateBot', false));
    assert.equal(whole.status, 200);
    assert.equal((JSON.parse(whole.text) as { model: string; message: { content: string } }).message.content, 'private hello');
    assert.deepEqual(
      provider.requests.map((request) => request.model),
      ['PrivateBot', 'PrivateBot'],
    );
  });

  it('sends an unlisted name to the provider on /api/generate, without the implicit :latest', async () => {
    const answer = await post(gateway, '/api/generate', { model: 'PrivateBot:latest', prompt: 'hi', stream: false });
    assert.equal(answer.status, 200);
    const parsed = JSON.parse(answer.text) as { model: string; response: string };
    assert.equal(parsed.model, 'PrivateBot:latest', 'the name the client sent is echoed');
    assert.equal(parsed.response, 'private hello');
    assert.equal(provider.requests.at(-1)?.model, 'PrivateBot');
  });

  it('still answers /api/show and /api/pull of an unlisted name with 404, and lists only the provider’s models', async () => {
    const show = await post(gateway, '/api/show', { model: 'PrivateBot' });
    assert.equal(show.status, 404);
    assert.deepEqual(JSON.parse(show.text), { error: "model 'PrivateBot' not found; known models: Public-Bot" });
    const pull = await post(gateway, '/api/pull', { model: 'PrivateBot', stream: false });
    assert.equal(pull.status, 404);
    assert.deepEqual(await listed(gateway, '/api/tags'), ['Public-Bot:latest']);
    assert.equal(provider.requests.length, 0);
  });
});

describe('Ollama routes: a client key limited to some models', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'listed-model' }]);
    gateway = await startTestGateway(
      {
        models: [
          { name: 'fast', target: 'scripted/fast-model' },
          { name: 'slow', target: 'scripted/slow-model' },
        ],
        keys: [
          { key: 'k', models: ['fast'] },
          { key: 'all' },
        ],
      },
      { adapters: [provider] },
    );
  });
  after(() => gateway.close());
  beforeEach(() => {
    provider.requests.length = 0;
    provider.script = textScript('hello');
  });

  it('lists only the allowed models on /api/tags; an unlimited key sees all', async () => {
    assert.deepEqual(await listed(gateway, '/api/tags', 'k'), ['fast:latest']);
    assert.deepEqual(await listed(gateway, '/api/tags', 'all'), ['fast:latest', 'slow:latest', 'listed-model:latest']);
  });

  it('answers /api/show of a disallowed model exactly as of an unknown one', async () => {
    const allowed = await post(gateway, '/api/show', { model: 'fast:latest' }, 'k');
    assert.equal(allowed.status, 200);
    const hidden = await post(gateway, '/api/show', { model: 'slow' }, 'k');
    const unknown = await post(gateway, '/api/show', { model: 'nothing' }, 'k');
    assert.equal(hidden.status, 404);
    assert.deepEqual(JSON.parse(hidden.text), { error: "model 'slow' not found; known models: fast" });
    assert.deepEqual(JSON.parse(unknown.text), { error: "model 'nothing' not found; known models: fast" });
    assert.equal((await post(gateway, '/api/show', { model: 'slow' }, 'all')).status, 200);
  });

  it('answers /api/pull of a disallowed model exactly as of an unknown one', async () => {
    for (const stream of [false, true]) {
      const hidden = await post(gateway, '/api/pull', { model: 'listed-model', stream }, 'k');
      const unknown = await post(gateway, '/api/pull', { model: 'nothing', stream }, 'k');
      assert.equal(hidden.status, unknown.status, `stream: ${stream}`);
      assert.equal(hidden.text, unknown.text, `stream: ${stream}`);
      const allowed = await post(gateway, '/api/pull', { model: 'fast', stream }, 'k');
      assert.match(allowed.text, /"status":"success"/);
    }
  });

  it('answers copy, push and delete of a disallowed model as of an unknown one', async () => {
    const hidden = await fetch(`${gateway.baseUrl}/api/delete`, { method: 'DELETE', headers: { authorization: 'Bearer k' }, body: JSON.stringify({ model: 'slow' }) });
    assert.equal(hidden.status, 404);
    assert.deepEqual(await hidden.json(), { error: "model 'slow' not found" });
    assert.equal((await post(gateway, '/api/push', { model: 'slow' }, 'k')).status, 404);
    assert.equal((await post(gateway, '/api/copy', { source: 'slow', destination: 'mine' }, 'k')).status, 404);
    assert.equal((await post(gateway, '/api/push', { model: 'slow' }, 'all')).status, 403, 'the model exists for an unlimited key');
  });

  it('lists on /api/ps only the running models the key may use', async () => {
    assert.equal((await post(gateway, '/api/chat', chatBody('slow', false), 'all')).status, 200);
    assert.equal((await post(gateway, '/api/chat', chatBody('fast', false), 'k')).status, 200);
    assert.deepEqual(await listed(gateway, '/api/ps', 'k'), ['fast:latest']);
    assert.deepEqual((await listed(gateway, '/api/ps', 'all')).sort(), ['fast:latest', 'slow:latest']);
  });
});

describe('Ollama routes: /api/ps lists only models an upstream answered for', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  beforeEach(async () => {
    provider = new ScriptedProvider('scripted');
    gateway = await startTestGateway(
      { models: [{ name: 'fast', target: 'scripted/fast-model' }, { name: 'slow', target: 'scripted/slow-model' }], keys: [{ key: 'k', models: ['fast'] }] },
      { adapters: [provider] },
    );
  });
  afterEach(() => gateway.close());

  it('does not list a model the key was refused, even for a load request', async () => {
    for (const stream of [true, false]) {
      const refused = await post(gateway, '/api/chat', chatBody('slow', stream), 'k');
      assert.equal(refused.status, 403);
      assert.deepEqual(JSON.parse(refused.text), { error: "this API key may not use model 'slow'" });
      assert.equal((await post(gateway, '/api/generate', { model: 'slow', prompt: 'hi', stream }, 'k')).status, 403);
    }
    assert.equal((await post(gateway, '/api/chat', { model: 'slow' }, 'k')).status, 403);
    assert.equal((await post(gateway, '/api/embed', { model: 'slow', input: 'x' }, 'k')).status, 403);
    assert.equal(provider.requests.length, 0);
    assert.deepEqual(await listed(gateway, '/api/ps', 'k'), []);
  });

  it('does not list a model whose upstream failed, streaming or not', async () => {
    provider.script = new GatewayError('upstream', 'the upstream is down');
    for (const stream of [true, false]) {
      assert.equal((await post(gateway, '/api/chat', chatBody('fast', stream), 'k')).status, 502);
      assert.equal((await post(gateway, '/api/generate', { model: 'fast', prompt: 'hi', stream }, 'k')).status, 502);
    }
    assert.ok(provider.requests.length >= 4, 'the upstream was called');
    assert.deepEqual(await listed(gateway, '/api/ps', 'k'), []);
  });

  it('lists a model once its upstream answered, and after a load request; unloads with keep_alive 0', async () => {
    provider.script = textScript('hello');
    assert.equal((await post(gateway, '/api/generate', { model: 'fast', prompt: 'hi' }, 'k')).status, 200);
    assert.deepEqual(await listed(gateway, '/api/ps', 'k'), ['fast:latest']);
    assert.equal((await post(gateway, '/api/chat', { model: 'fast', keep_alive: 0 }, 'k')).status, 200);
    assert.deepEqual(await listed(gateway, '/api/ps', 'k'), []);
    assert.equal((await post(gateway, '/api/chat', { model: 'fast' }, 'k')).status, 200);
    assert.deepEqual(await listed(gateway, '/api/ps', 'k'), ['fast:latest']);
  });
});
