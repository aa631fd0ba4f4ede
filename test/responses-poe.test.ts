import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/** The Responses API served by Poe, a chat-only upstream, on both of its protocols. */
describe('the Responses API served by Poe', () => {
  let poe: FakePoeServer;
  let botGateway: TestGateway;
  let openaiGateway: TestGateway;
  let bot: OpenAI;
  let compatible: OpenAI;

  before(async () => {
    poe = await FakePoeServer.start();
    poe.models = ['TestBot', 'GPT-4o'].map((id) => ({ id, object: 'model', created: 1715644800000, owned_by: 'Poe' }));
    botGateway = await startTestGateway({ providers: [{ id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl }] });
    openaiGateway = await startTestGateway({ providers: [{ id: 'poe', type: 'poe', api_key: 'poe-test-key', base_url: poe.openaiBaseUrl }] });
    bot = new OpenAI({ baseURL: `${botGateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
    compatible = new OpenAI({ baseURL: `${openaiGateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await botGateway.close();
    await openaiGateway.close();
    await poe.close();
  });
  beforeEach(() => {
    poe.reset();
    poe.bot('TestBot', (call) => {
      const query = call.body['query'] as { role: string; content: string }[];
      return [{ event: 'text', data: { text: `${query.length} messages; last: ` } }, { event: 'text', data: { text: query.at(-1)?.content ?? '' } }];
    });
  });

  it('bot protocol: streams, stores, and continues with previous_response_id; usage counted with the tokenizer', async () => {
    const stream = bot.responses.stream({ model: 'TestBot', instructions: 'Be kind.', input: 'Hello' });
    const final = await stream.finalResponse();
    assert.equal(final.status, 'completed');
    assert.equal(final.output_text, '2 messages; last: Hello');
    assert.equal(final.usage?.output_tokens, countTokens('2 messages; last: Hello'));
    assert.ok((final.usage?.input_tokens ?? 0) > 0);

    const next = await bot.responses.create({ model: 'TestBot', previous_response_id: final.id, input: 'Again' });
    // user, bot, user: the earlier instructions are not carried into this turn.
    assert.equal(next.output_text, '3 messages; last: Again');
    const query = poe.lastBotCall().body['query'] as { role: string; content: string }[];
    assert.deepEqual(
      query.map((message) => [message.role, message.content]),
      [
        ['user', 'Hello'],
        ['bot', '2 messages; last: Hello'],
        ['user', 'Again'],
      ],
    );
  });

  it("OpenAI-compatible protocol: answers with Poe's own usage, streamed and not", async () => {
    poe.openai('GPT-4o', { text: 'Bonjour tout le monde', usage: { prompt_tokens: 23, completion_tokens: 5 } });
    const response = await compatible.responses.create({ model: 'GPT-4o', input: [{ role: 'developer', content: 'Answer in French.' }, { role: 'user', content: 'Hello everyone' }] });
    assert.equal(response.output_text, 'Bonjour tout le monde');
    assert.deepEqual(response.usage, { input_tokens: 23, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 28 });

    const stream = compatible.responses.stream({ model: 'GPT-4o', input: 'Hello everyone' });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    assert.equal(text, 'Bonjour tout le monde');
    assert.equal((await stream.finalResponse()).usage?.total_tokens, 28);
  });
});
