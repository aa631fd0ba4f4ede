import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

let gateway: TestGateway;
const provider = new ScriptedProvider('scripted', [{ id: 'm1' }]);

before(async () => {
  gateway = await startTestGateway({}, { adapters: [provider] });
});
after(() => gateway.close());

describe('OpenAI routes without /v1 (a base URL missing its version path)', () => {
  it('serves chat, completions, models and embeddings as with /v1', async () => {
    const openai = new OpenAI({ baseURL: gateway.baseUrl, apiKey: 'unused' });
    provider.script = textScript('hello');
    const chat = await openai.chat.completions.create({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(chat.choices[0]?.message.content, 'hello');
    provider.script = textScript('world');
    const completion = await openai.completions.create({ model: 'm1', prompt: 'hi' });
    assert.equal(completion.choices[0]?.text, 'world');
    const models = await openai.models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      ['m1'],
    );
    assert.equal((await openai.models.retrieve('m1')).id, 'm1');
    const embedding = await openai.embeddings.create({ model: 'm1', input: 'hi' });
    assert.ok(embedding.data.length > 0);
  });

  it('still answers an unknown unversioned path with a 404', async () => {
    const response = await fetch(`${gateway.baseUrl}/chat/completionsx`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 404);
    await response.body?.cancel();
  });
});
