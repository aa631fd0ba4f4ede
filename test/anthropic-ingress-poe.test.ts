import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// The Anthropic SDK against llmux serving Poe bots over Poe's bot protocol, which reports no
// usage: llmux counts it, so no answer ever carries usage of zero.

let poe: FakePoeServer;
let gateway: TestGateway;
let client: Anthropic;

before(async () => {
  poe = await FakePoeServer.start();
  poe.models = ['Claude-Sonnet-4', 'GPT-4o'].map((id) => ({ id, object: 'model', created: 1715644800000, owned_by: 'Poe', architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] } }));
  poe.bot('Claude-Sonnet-4', () => [{ event: 'text', data: { text: 'Hello from ' } }, { event: 'text', data: { text: 'Poe.' } }]);
  gateway = await startTestGateway({
    providers: [{ id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl }],
    models: [{ name: 'claude-*', target: 'poe/Claude-Sonnet-4' }],
  });
  client = new Anthropic({ apiKey: 'unused', baseURL: gateway.baseUrl, maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await poe.close();
});

test('messages.create and messages.stream with counted usage', async () => {
  const message = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 100, system: 'Be kind.', messages: [{ role: 'user', content: 'Hi there' }] });
  assert.equal(message.content[0]?.type === 'text' ? message.content[0].text : '', 'Hello from Poe.');
  assert.equal(message.stop_reason, 'end_turn');
  assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
  const streamed = await client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi there' }] }).finalMessage();
  assert.equal(streamed.content[0]?.type === 'text' ? streamed.content[0].text : '', 'Hello from Poe.');
  assert.ok(streamed.usage.input_tokens > 0 && streamed.usage.output_tokens > 0);
});

test('countTokens and models.list', async () => {
  const counted = await client.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi there' }] });
  assert.ok(counted.input_tokens > 0);
  const models = await client.models.list();
  assert.deepEqual(models.data.map((model) => model.id), ['Claude-Sonnet-4', 'GPT-4o']);
});
