import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

describe('per-key rate limits', () => {
  let gateway: TestGateway;
  const provider = new ScriptedProvider('fake', [{ id: 'm' }]);
  provider.script = textScript('hello', { input: { total: 30 }, output: { total: 30 } });

  before(async () => {
    gateway = await startTestGateway(
      {
        keys: [
          { key: 'sk-rpm', name: 'rpm-key', rpm: 2 },
          { key: 'sk-tpm', name: 'tpm-key', tpm: 100 },
        ],
      },
      { adapters: [provider] },
    );
  });
  after(() => gateway.close());

  function client(apiKey: string): OpenAI {
    return new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey, maxRetries: 0 });
  }

  it('answers 429 with retry-after once a key used its rpm; listing models does not count', async () => {
    const openai = client('sk-rpm');
    for (let i = 0; i < 3; i++) await openai.models.list();
    for (let i = 0; i < 2; i++) await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const calls = provider.requests.length;
    await assert.rejects(openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 429);
      assert.match(error.message, /rate limit of 2 requests per minute reached for key 'rpm-key'/);
      assert.ok(Number(error.headers?.get('retry-after')) >= 1);
      return true;
    });
    assert.equal(provider.requests.length, calls, 'a refused request never reaches the upstream');
  });

  it('counts tokens of finished answers, streamed or not, against tpm', async () => {
    const openai = client('sk-tpm');
    await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const stream = await openai.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const chunk of stream) void chunk;
    await assert.rejects(openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }), /rate limit of 100 tokens per minute/);
  });
});
