import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { GatewayError } from '../../canonical/gateway-error.ts';
import { createLogger } from '../../observability/create-logger.ts';
import { createProvider } from '../../server/build-gateway.ts';
import { FakePoeServer } from '../../../test-support/fake-poe-server.ts';
import type { CallContext, ProviderAdapter } from '../provider-adapter.ts';
import { responseReasoning, responseText } from '../../canonical/chat-response.ts';

const log = createLogger('silent');

function context(): CallContext {
  return { signal: new AbortController().signal, requestId: 'test', log };
}

const poeError = (status: number, code: number | string, type: string, message: string) => ({ error: { status, body: { error: { code, type, message } } } });

describe("Poe's OpenAI-compatible API provider against a fake Poe", () => {
  let poe: FakePoeServer;
  let provider: ProviderAdapter;
  before(async () => {
    poe = await FakePoeServer.start();
    provider = await createProvider({ id: 'poe', type: 'poe', api_key: 'poe-test-key', base_url: poe.openaiBaseUrl }, log);
  });
  after(async () => {
    await provider.close();
    await poe.close();
  });
  beforeEach(() => poe.reset());

  it('streams chat with the upstream usage, developer sent as system, ignored fields dropped, images as image_url', async () => {
    poe.openai('GPT-4o', { text: 'Bonjour le monde', usage: { prompt_tokens: 21, completion_tokens: 4 } });
    const request: ChatRequest = {
      model: 'GPT-4o',
      stream: true,
      messages: [
        { role: 'developer', parts: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Hello world' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } }] },
      ],
      temperature: 0.4,
      seed: 3,
      presencePenalty: 0.5,
      user: 'alice',
      logitBias: { '1': 2 },
      unmappedFields: { store: true, metadata: { a: 1 }, web_search: true },
    };
    const events = await Array.fromAsync(await provider.streamChat(request, context()));
    assert.equal(events.map((event) => (event.type === 'text-delta' ? event.text : '')).join(''), 'Bonjour le monde');
    const finish = events.at(-1);
    assert.deepEqual(finish?.type === 'finish' ? finish.usage : undefined, { input: { total: 21 }, output: { total: 4 }, source: 'upstream', raw: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 } });
    const body = poe.openaiCalls[0]?.body ?? {};
    assert.deepEqual(body['messages'], [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: [{ type: 'text', text: 'Hello world' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
    ]);
    assert.equal(body['temperature'], 0.4);
    assert.equal(body['web_search'], true);
    for (const field of ['seed', 'presence_penalty', 'user', 'logit_bias', 'response_format', 'store', 'metadata', 'n']) assert.ok(!(field in body), `${field} must not be sent`);
    assert.equal(poe.openaiCalls[0]?.headers.authorization, 'Bearer poe-test-key');
  });

  it('splits the thinking progress of reasoning bots from the answer, streamed and not', async () => {
    poe.openai('Claude-Sonnet-4-Reasoning', { text: '*Thinking...*\n\n> The user asks for a colour.\n\nBlue, with a > sign.' });
    const request: ChatRequest = { model: 'Claude-Sonnet-4-Reasoning', stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'Colour?' }] }] };
    const events = await Array.fromAsync(await provider.streamChat(request, context()));
    assert.equal(events.map((event) => (event.type === 'reasoning-delta' ? event.text : '')).join(''), '*Thinking...*\nThe user asks for a colour.\n');
    assert.equal(events.map((event) => (event.type === 'text-delta' ? event.text : '')).join(''), 'Blue, with a > sign.');
    assert.deepEqual(
      events.filter((event) => event.type.endsWith('-start') || event.type.endsWith('-end')).map((event) => event.type),
      ['response-start', 'reasoning-start', 'reasoning-end', 'text-start', 'text-end'],
    );
    assert.equal(events.at(-1)?.type, 'finish');
    const whole = await provider.completeChat({ ...request, stream: false }, context());
    assert.deepEqual([responseReasoning(whole), responseText(whole)], ['*Thinking...*\nThe user asks for a colour.\n', 'Blue, with a > sign.']);
  });

  it('answers non-streamed requests', async () => {
    poe.openai('GPT-4o', { text: 'Plain answer' });
    const response = await provider.completeChat({ model: 'GPT-4o', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }] }, context());
    assert.equal(responseText(response), 'Plain answer');
    assert.equal(poe.openaiCalls[0]?.body['stream'], undefined);
  });

  it("maps Poe's errors: 401 numeric code, 404 string code, 402 credits, 413, 429, 529", async () => {
    const ask = (model: string) => provider.streamChat({ model, stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }] }, context());
    const cases: [string, ReturnType<typeof poeError>, number, boolean, RegExp][] = [
      ['A', poeError(401, 401, 'authentication_error', 'Invalid API key'), 401, false, /Poe rejected the API key.*Invalid API key/],
      ['B', poeError(402, 402, 'insufficient_credits', "You've used up your points! Visit poe.com/api_key"), 402, false, /no points left.*used up your points/],
      ['C', poeError(413, 413, 'request_too_large', 'Request exceeds the context window'), 413, false, /too large.*context window/],
      ['D', poeError(429, 429, 'rate_limit_error', 'Rate limit exceeded'), 429, true, /rate limit/],
      ['E', poeError(529, 529, 'overloaded_error', 'The model is overloaded'), 502, true, /overloaded/],
    ];
    for (const [model, reply, status, retryable, message] of cases) {
      poe.openai(model, reply);
      await assert.rejects(ask(model), (error: GatewayError) => {
        assert.equal(error.status, status, model);
        assert.equal(error.retryable, retryable, model);
        assert.match(error.message, message);
        return true;
      });
    }
    await assert.rejects(ask('Unknown-Bot'), (error: GatewayError) => error.status === 404 && error.code === 'model_not_found' && /Unknown-Bot/.test(error.message));
  });

  it('lists models from /v1/models with capabilities and seconds, without sending the key', async () => {
    const models = await provider.listModels(context());
    assert.deepEqual(models[0], { id: 'GPT-4o', created: 1715644800, ownedBy: 'OpenAI', capabilities: ['completion', 'tools', 'vision'] });
    assert.deepEqual(poe.requests.map((request) => [request.path, request.headers.authorization]), [['/v1/models', undefined]]);
  });

  it('generates images with stream:false, the aspect in the prompt and as a top-level bot parameter with the quality, and the markdown of the answer', async () => {
    poe.openai('GPT-Image-1', () => ({
      status: 200,
      body: { id: 'x', object: 'chat.completion', created: 1, model: 'GPT-Image-1', choices: [{ index: 0, message: { role: 'assistant', content: '![image](https://pfst.cf2.poecdn.net/base/image/2:3)' }, finish_reason: 'stop' }] },
    }));
    const generate = provider.generateImages?.bind(provider);
    assert.ok(generate);
    const result = await generate({ model: 'GPT-Image-1', prompt: 'a fox', n: 1, size: '1024x1536', quality: 'high', responseFormat: 'url' }, context());
    assert.deepEqual(result.images, [{ url: 'https://pfst.cf2.poecdn.net/base/image/2:3' }]);
    const body = poe.openaiCalls[0]?.body ?? {};
    assert.equal(body['stream'], undefined);
    // https://creator.poe.com/docs/external-applications/openai-compatible-api: custom bot
    // parameters through the OpenAI SDK's extra_body, i.e. top-level (GPT-Image-1: aspect, quality).
    assert.deepEqual([body['aspect'], body['quality']], ['2:3', 'high']);
    assert.deepEqual(body['messages'], [{ role: 'user', content: 'a fox --aspect 2:3' }]);
  });

  it('declares the fields Poe would ignore on the answer', async () => {
    poe.openai('GPT-4o', { text: 'ok' });
    const answer = await provider.completeChat({ model: 'GPT-4o', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }], seed: 1, frequencyPenalty: 1 }, context());
    assert.deepEqual(
      answer.degraded?.map((entry) => entry.field),
      ['frequency_penalty', 'seed'],
    );
  });
});
