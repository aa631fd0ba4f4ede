import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * A typo'd model name answered through `default_model`: every OpenAI route says which model
 * answered (never the name that does not exist), and the log names what the client asked for.
 */
describe('default_model answering an unknown name on chat, embeddings and images', () => {
  let gateway: TestGateway;
  const logLines: string[] = [];
  const provider = new ScriptedProvider('scripted', [{ id: 'real-model' }]);
  provider.script = textScript('hello');
  let client: OpenAI;

  before(async () => {
    gateway = await startTestGateway({ models: [{ name: 'house', target: 'scripted/real-model' }], default_model: 'house' }, { adapters: [provider], logLines });
    client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gateway.close());

  const loggedStandIn = (requested: string): boolean =>
    logLines.some((line) => {
      const entry = JSON.parse(line) as { requested?: string; default_model?: string };
      return entry.requested === requested && entry.default_model === 'house';
    });

  it('chat says the default model, as before', async () => {
    const answer = await client.chat.completions.create({ model: 'gpt4o', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(answer.model, 'house');
    assert.ok(loggedStandIn('gpt4o'));
  });

  it("embeddings say the default model, not the client's unknown name, and the log names the name asked for", async () => {
    const { data: answer, response } = await client.embeddings.create({ model: 'text-embeding-3-smal', input: 'one' }).withResponse();
    assert.equal(answer.model, 'house');
    assert.equal(response.headers.get('x-llmux-model'), 'real-model');
    assert.deepEqual(provider.embedRequests.at(-1)?.model, 'real-model');
    assert.ok(loggedStandIn('text-embeding-3-smal'));
  });

  it('embeddings under a known name keep the name as sent', async () => {
    assert.equal((await client.embeddings.create({ model: 'house', input: 'one' })).model, 'house');
  });

  it('images: the answer carries no model name at all (OpenAI has no such field), the headers the real one, the log the name asked for', async () => {
    const { data: answer, response } = await client.images.generate({ model: 'dall-e-4', prompt: 'a fox' }).withResponse();
    assert.equal(JSON.stringify(answer).includes('dall-e-4'), false);
    assert.equal(response.headers.get('x-llmux-model'), 'real-model');
    assert.equal(provider.imageRequests.at(-1)?.model, 'real-model');
    assert.ok(loggedStandIn('dall-e-4'));
  });
});
