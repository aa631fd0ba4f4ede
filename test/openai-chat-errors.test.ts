import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { scriptedOpenAIGatewayPerSuite } from '../test-support/start-scripted-openai-gateway.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

describe('OpenAI chat errors and aborts through the openai SDK', () => {
  const suite = scriptedOpenAIGatewayPerSuite();

  it('maps each upstream error to its status and OpenAI error class', async () => {
    const cases: [GatewayError, number, new (...args: never[]) => InstanceType<typeof OpenAI.APIError>, string][] = [
      [new GatewayError('invalid_request', 'bad temperature', { param: 'temperature' }), 400, OpenAI.BadRequestError, 'invalid_request_error'],
      [new GatewayError('authentication', 'provider key rejected'), 401, OpenAI.AuthenticationError, 'authentication_error'],
      [new GatewayError('payment_required', 'out of points'), 402, OpenAI.APIError, 'insufficient_quota'],
      [new GatewayError('permission', 'not allowed'), 403, OpenAI.PermissionDeniedError, 'permission_error'],
      [new GatewayError('not_found', 'no such upstream model'), 404, OpenAI.NotFoundError, 'invalid_request_error'],
      [new GatewayError('rate_limit', 'slow down', { retryAfterSeconds: 7 }), 429, OpenAI.RateLimitError, 'rate_limit_error'],
      [new GatewayError('upstream', 'upstream answered 500'), 502, OpenAI.InternalServerError, 'api_error'],
      [new GatewayError('overloaded', 'try later'), 502, OpenAI.InternalServerError, 'server_error'],
      [new GatewayError('timeout', 'no answer'), 504, OpenAI.InternalServerError, 'timeout'],
    ];
    for (const [error, status, errorClass, type] of cases) {
      suite.provider.script = error;
      for (const stream of [false, true]) {
        const thrown = await suite.client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream }).then(
          () => assert.fail(`expected ${status}`),
          (caught: unknown) => caught,
        );
        assert.ok(thrown instanceof errorClass, `${status} stream=${stream}: ${String(thrown)}`);
        assert.equal(thrown.status, status);
        assert.equal(thrown.type, type);
        assert.equal(thrown.message, `${status} ${error.message}`);
        if (status === 429) assert.equal(thrown.headers?.get('retry-after'), '7');
        if (status === 400) assert.equal(thrown.param, 'temperature');
      }
    }
  });

  it('throws an APIError in the SDK for an error in the middle of a stream', async () => {
    suite.provider.script = [
      { type: 'response-start' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'partial' },
      { type: 'error', error: new GatewayError('upstream', 'connection to the upstream was lost') },
    ];
    const stream = await suite.client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let content = '';
    await assert.rejects(
      async () => {
        for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
      },
      (error: unknown) => error instanceof OpenAI.APIError && error.message === 'connection to the upstream was lost' && error.type === 'api_error',
    );
    assert.equal(content, 'partial');
  });

  it('answers an unknown model with 404 listing the known models', async () => {
    const error = await suite.client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.NotFoundError);
    assert.equal(error.message, "404 model 'nope' not found; known models: gpt-test, model-a");
    assert.equal(error.param, 'model');
    assert.equal(error.code, 'model_not_found');
  });

  it('aborts the provider call when the client aborts the stream', { timeout: 10_000 }, async () => {
    let signalFired!: () => void;
    const fired = new Promise<void>((resolve) => (signalFired = resolve));
    suite.provider.script = async function* (_request, context) {
      yield { type: 'response-start' };
      yield { type: 'text-start', id: 't' };
      yield { type: 'text-delta', id: 't', text: 'first' };
      await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
      signalFired();
      yield { type: 'finish', finishReason: 'stop' };
    };
    const controller = new AbortController();
    const stream = await suite.client.chat.completions.create(
      { model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content === 'first') controller.abort();
    }
    await fired;
    assert.equal(suite.provider.lastSignal?.aborted, true);
  });
});


describe('OpenAI chat with client keys', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'model-a' }]);
    provider.script = textScript('ok');
    gateway = await startTestGateway({ keys: [{ key: 'sk-right', models: ['model-a'] }] }, { adapters: [provider] });
  });
  after(() => gateway.close());

  it('refuses a wrong key with 401 in OpenAI shape and serves the right one', async () => {
    const wrong = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    const error = await wrong.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assert.equal(error.type, 'authentication_error');
    assert.equal(error.code, 'invalid_api_key');
    assert.equal(provider.requests.length, 0);

    const right = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'sk-right', maxRetries: 0 });
    const completion = await right.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(completion.choices[0]?.message.content, 'ok');

    const forbidden = await right.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(forbidden instanceof OpenAI.PermissionDeniedError);
    assert.deepEqual((await right.models.list()).data.map((model) => model.id), ['model-a']);
  });
});
