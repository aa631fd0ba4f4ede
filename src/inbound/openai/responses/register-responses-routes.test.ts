import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { scriptedOpenAIGatewayPerSuite } from '../../../../test-support/start-scripted-openai-gateway.ts';

/** The create route's two ways in (plain body, schema) and its storing, through the openai SDK. */
describe('POST /v1/responses', () => {
  const suite = scriptedOpenAIGatewayPerSuite();

  async function isStored(id: string): Promise<boolean> {
    try {
      await suite.client.responses.retrieve(id);
      return true;
    } catch (error) {
      assert.ok(error instanceof OpenAI.NotFoundError, String(error));
      return false;
    }
  }

  it('stores a response unless store: false, streamed or not', async () => {
    const whole = await suite.client.responses.create({ model: 'gpt-test', input: 'Hi', store: false });
    assert.equal(whole.output_text, 'Hello there ☃');
    assert.equal(await isStored(whole.id), false);
    const kept = await suite.client.responses.create({ model: 'gpt-test', input: 'Hi' });
    assert.equal(await isStored(kept.id), true);

    for (const store of [false, true]) {
      let id = '';
      for await (const event of await suite.client.responses.create({ model: 'gpt-test', input: 'Hi', store, stream: true })) {
        if (event.type === 'response.completed') id = event.response.id;
      }
      assert.notEqual(id, '');
      assert.equal(await isStored(id), store, `streamed, store: ${store}`);
    }
  });

  it('answers a plain body as it answers the same body through the schema', async () => {
    const plain = { model: 'gpt-test', instructions: 'Be brief.', input: [{ type: 'message' as const, role: 'user' as const, content: 'Hi' }], max_output_tokens: 32, store: false };
    // A null field is not plain: the same request then takes the schema.
    const viaSchema = { ...plain, user: null };
    const answers = [];
    for (const body of [plain, viaSchema]) {
      const response = await fetch(`${suite.gateway.baseUrl}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      const json = (await response.json()) as Record<string, unknown> & { output: { id: string }[] };
      answers.push({ ...json, id: 'resp', created_at: 0, output: json.output.map((item) => ({ ...item, id: 'msg' })) });
    }
    assert.deepEqual(answers[0], answers[1]);
    assert.equal(suite.provider.requests.length, 2);
    assert.deepEqual(suite.provider.requests[0], suite.provider.requests[1]);
  });
});
