import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * Go's model-name grammar (types/model/name.go ParseNameBare, isValidPart), as `ollama run`,
 * `ollama ps` and Open WebUI parse a listed name: `[host/][namespace/]model:tag`.
 */
function parseOllamaName(name: string): { namespace: string; model: string; tag: string } {
  const colon = name.lastIndexOf(':');
  assert.ok(colon > name.lastIndexOf('/'), `${name} has a tag`);
  const tag = name.slice(colon + 1);
  const path = name.slice(0, colon).split('/');
  const model = path.at(-1) ?? '';
  const namespace = path.at(-2) ?? '';
  assert.match(model, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/, `${name}: model part`);
  assert.match(tag, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/, `${name}: tag`);
  if (namespace !== '') assert.match(namespace, /^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$/, `${name}: namespace`);
  return { namespace, model, tag };
}

describe('Ollama model names: name:tag, provider/model, case and :latest', () => {
  let cerebras: ScriptedProvider;
  let other: ScriptedProvider;
  let gateway: TestGateway;
  let ollama: Ollama;

  before(async () => {
    cerebras = new ScriptedProvider('cerebras', [{ id: 'gpt-oss-120b' }, { id: 'llama3.2:latest' }, { id: 'qwen3:8b' }, { id: 'shared' }]);
    other = new ScriptedProvider('other', [{ id: 'shared' }]);
    gateway = await startTestGateway({ models: [{ name: 'fast', target: 'cerebras/gpt-oss-120b' }] }, { adapters: [cerebras, other] });
    ollama = new Ollama({ host: gateway.baseUrl });
  });
  after(() => gateway.close());
  beforeEach(() => {
    for (const provider of [cerebras, other]) {
      provider.requests.length = 0;
      provider.script = textScript('ok');
    }
  });

  async function chatVia(name: string): Promise<{ echoed: string; upstream: string | undefined }> {
    const response = await ollama.chat({ model: name, messages: [{ role: 'user', content: 'hi' }], stream: false });
    const upstream = [...cerebras.requests, ...other.requests].at(-1)?.model;
    cerebras.requests.length = 0;
    other.requests.length = 0;
    return { echoed: response.model, upstream };
  }

  it('lists every model as a name:tag Go parses, with the provider as namespace where ids clash', async () => {
    const { models } = await ollama.list();
    assert.deepEqual(
      models.map((model) => model.name),
      ['fast:latest', 'gpt-oss-120b:latest', 'llama3.2:latest', 'qwen3:8b', 'cerebras/shared:latest', 'other/shared:latest'],
    );
    for (const model of models) parseOllamaName(model.name);
    assert.equal(parseOllamaName('cerebras/shared:latest').namespace, 'cerebras');
  });

  it('serves every listed name unchanged in show, chat, pull and ps', async () => {
    const { models } = await ollama.list();
    for (const { name } of models) {
      const shown = await ollama.show({ model: name });
      assert.match(shown.modelfile, new RegExp(`^# FROM ${name.replace(/[.]/g, '\\.')}$`, 'm'), `show ${name}`);
      assert.equal((await chatVia(name)).echoed, name, `chat ${name}`);
      assert.deepEqual(await ollama.pull({ model: name }), { status: 'success' }, `pull ${name}`);
    }
    const running = (await ollama.ps()).models.map((model) => model.name).sort();
    assert.deepEqual(running, models.map((model) => model.name).sort(), 'ps names the models as tags does');
  });

  it('routes each listed name to the right provider and upstream id', async () => {
    assert.deepEqual(await chatVia('cerebras/shared:latest'), { echoed: 'cerebras/shared:latest', upstream: 'shared' });
    assert.equal(cerebras.requests.length + other.requests.length, 0);
    await ollama.chat({ model: 'other/shared:latest', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assert.equal(other.requests.length, 1);
    assert.equal(cerebras.requests.length, 0);
    other.requests.length = 0;
    assert.equal((await chatVia('qwen3:8b')).upstream, 'qwen3:8b');
    assert.equal((await chatVia('fast')).upstream, 'gpt-oss-120b');
  });

  it('finds a name with or without :latest, in any case, and as provider/model', async () => {
    for (const name of ['cerebras/gpt-oss-120b:latest', 'cerebras/gpt-oss-120b', 'CEREBRAS/GPT-OSS-120B', 'cerebras/GPT-OSS-120B:latest', 'GPT-OSS-120B', 'gpt-oss-120b:LATEST']) {
      assert.equal((await chatVia(name)).upstream, 'gpt-oss-120b', `chat ${name}`);
      const shown = await ollama.show({ model: name });
      assert.deepEqual(shown.capabilities, ['completion', 'tools', 'thinking'], `show ${name}`);
    }
    // A provider's own model keeps its listed name, never an alias that points at it.
    assert.match((await ollama.show({ model: 'cerebras/gpt-oss-120b' })).modelfile, /^# FROM gpt-oss-120b:latest$/m);
    // An upstream id that has a tag of its own is found without it, as Ollama finds `llama3.2`.
    assert.equal((await chatVia('llama3.2')).upstream, 'llama3.2:latest');
    assert.equal((await chatVia('LLAMA3.2')).upstream, 'llama3.2:latest');
    assert.equal((await ollama.show({ model: 'llama3.2' })).details.family, 'llama');
  });

  it('keeps one running entry per model however its name was spelled', async () => {
    for (const name of ['gpt-oss-120b', 'GPT-OSS-120B:latest', 'CEREBRAS/gpt-oss-120b']) await ollama.chat({ model: name, messages: [], keep_alive: '1h' });
    const running = (await ollama.ps()).models.filter((model) => model.name.toLowerCase().includes('gpt-oss'));
    assert.deepEqual(
      running.map((model) => model.name),
      ['gpt-oss-120b:latest'],
    );
  });

  it('still serves a provider/model name the provider does not list, as asked', async () => {
    assert.equal((await chatVia('cerebras/unlisted-model')).upstream, 'unlisted-model');
    await assert.rejects(ollama.chat({ model: 'nobody/unlisted-model', messages: [{ role: 'user', content: 'hi' }], stream: false }), {
      status_code: 404,
      error: "model 'nobody/unlisted-model' not found; known models: fast, gpt-oss-120b, llama3.2:latest, qwen3:8b, cerebras/shared, other/shared",
    });
    await assert.rejects(ollama.show({ model: 'gpt-oss-120b:8b' }), { status_code: 404 });
  });
});
