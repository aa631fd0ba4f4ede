import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderConfig } from '../../config/gateway-config-schema.ts';
import { createUpstreamHttpClient } from '../shared/upstream-http-client.ts';
import { FakeUpstreamServer } from '../../../test-support/fake-upstream-server.ts';
import type { CallContext, ProviderAdapter } from '../provider-adapter.ts';
import { createOpenAICompatibleProvider } from './create-openai-compatible-provider.ts';
import { OpenAICompatibleAdapter } from './openai-compatible-adapter.ts';
import { resolveOpenAICompatibleDialect, type OpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import { responseText } from '../../canonical/chat-response.ts';
import { gatewayErrorRejection } from '../../../test-support/assert-gateway-error.ts';

interface Captured {
  context: CallContext;
  lines: Record<string, unknown>[];
  controller: AbortController;
}

function callContext(): Captured {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) as unknown as FastifyBaseLogger;
  const controller = new AbortController();
  return { context: { signal: controller.signal, requestId: 'test', log }, lines, controller };
}

const REQUEST: ChatRequest = { model: 'local-model', messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }], stream: false };

describe('OpenAICompatibleAdapter', () => {
  let upstream: FakeUpstreamServer;
  const adapters: ProviderAdapter[] = [];

  function adapter(config: Partial<ProviderConfig> = {}, dialect?: Partial<OpenAICompatibleDialect>): ProviderAdapter {
    const input = {
      config: { id: 'local', type: 'openai-compatible' as const, base_url: `${upstream.baseUrl}/v1/`, ...config },
      httpClient: createUpstreamHttpClient(),
      log: callContext().context.log,
    };
    const created = dialect === undefined ? createOpenAICompatibleProvider(input) : new OpenAICompatibleAdapter(input, resolveOpenAICompatibleDialect(dialect));
    adapters.push(created);
    return created;
  }

  before(async () => {
    upstream = await FakeUpstreamServer.start();
  });
  afterEach(async () => {
    upstream.reset();
    await Promise.all(adapters.splice(0).map((created) => created.close()));
  });
  after(() => upstream.close());

  it('completes a chat from a JSON body, sending the key and configured headers', async () => {
    upstream.json('POST', '/v1/chat/completions', 200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'local-model',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: { role: 'assistant', content: 'Checking.', reasoning_content: 'Need data.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }] },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
    const response = await adapter({ api_key: 'sk-one', headers: { 'x-team': 'blue' } }).completeChat(REQUEST, callContext().context);
    assert.deepEqual(response, {
      id: 'chatcmpl-1',
      model: 'local-model',
      created: 1700000000,
      parts: [
        { type: 'reasoning', text: 'Need data.' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{"q":1}' },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: { input: { total: 10 }, output: { total: 5 }, source: 'upstream', raw: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
    });
    const call = upstream.lastCall('/v1/chat/completions');
    assert.equal(call?.headers.authorization, 'Bearer sk-one');
    assert.equal(call?.headers['x-team'], 'blue');
    assert.equal(call?.headers['content-type'], 'application/json');
    assert.deepEqual(call?.json, { model: 'local-model', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('streams a chat, asking for usage in the stream', async () => {
    upstream.chunks('POST', '/v1/chat/completions', [
      'data: {"id":"c","model":"local-model","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n',
      'data: {"id":"c","model":"local-model","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\n',
      'data: {"id":"c","model":"local-model","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\ndata: [DONE]\n\n',
    ]);
    const events = await Array.fromAsync(await adapter().streamChat(REQUEST, callContext().context));
    assert.deepEqual(events, [
      { type: 'response-start', id: 'c', model: 'local-model' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Hel' },
      { type: 'text-delta', id: '0', text: 'lo' },
      { type: 'text-end', id: '0' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', usage: { input: { total: 3 }, output: { total: 2 }, source: 'upstream', raw: { prompt_tokens: 3, completion_tokens: 2 } } },
    ]);
    const body = upstream.lastCall('/v1/chat/completions')?.json as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(upstream.lastCall('/v1/chat/completions')?.headers.authorization, undefined);
  });

  it('accepts a JSON answer to a stream request and an SSE answer to a non-stream request', async () => {
    upstream.json('POST', '/v1/chat/completions', 200, { id: 'j', choices: [{ index: 0, finish_reason: 'stop', message: { content: 'Whole.' } }] });
    const events = await Array.fromAsync(await adapter().streamChat(REQUEST, callContext().context));
    assert.deepEqual(events, [
      { type: 'response-start', id: 'j' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Whole.' },
      { type: 'text-end', id: '0' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
    upstream.chunks('POST', '/v1/chat/completions', ['data: {"id":"s","choices":[{"index":0,"delta":{"content":"Streamed."},"finish_reason":"stop"}]}\n\n', 'data: [DONE]\n\n']);
    const response = await adapter().completeChat(REQUEST, callContext().context);
    assert.equal(responseText(response), 'Streamed.');
    assert.equal(response.id, 's');
  });

  it('takes the keys in turn, and rests a key the upstream refused', async () => {
    let calls = 0;
    upstream.on('POST', '/v1/chat/completions', (call, response) => {
      calls++;
      const refused = call.headers.authorization === 'Bearer k2';
      response.writeHead(refused ? 401 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(refused ? { error: { message: 'Incorrect API key provided' } } : { choices: [{ index: 0, finish_reason: 'stop', message: { content: 'ok' } }] }));
    });
    const provider = adapter({ api_key: 'k1', api_keys: ['k2', 'k3'] });
    const used: string[] = [];
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const outcome = await provider.completeChat(REQUEST, callContext().context).then(
        () => 'ok',
        (error: unknown) => (error instanceof GatewayError ? error.kind : String(error)),
      );
      outcomes.push(outcome);
      used.push(String(upstream.calls.at(-1)?.headers.authorization).replace('Bearer ', ''));
    }
    assert.equal(calls, 6);
    assert.deepEqual(used, ['k1', 'k2', 'k3', 'k1', 'k3', 'k1']);
    assert.deepEqual(outcomes, ['ok', 'authentication', 'ok', 'ok', 'ok', 'ok']);
  });

  it('throws upstream errors before the stream starts, with status, message and retry-after', async () => {
    upstream.json('POST', '/v1/chat/completions', 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '3' });
    const error = await gatewayErrorRejection(adapter().streamChat(REQUEST, callContext().context));
    assert.equal(error.kind, 'rate_limit');
    assert.equal(error.message, 'Rate limit reached');
    assert.equal(error.retryAfterSeconds, 3);
    assert.equal(error.retryable, true);
  });

  it('treats a 200 whose body is not JSON, or not a completion, as an upstream error', async () => {
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('<html>maintenance</html>');
    });
    const notJson = await gatewayErrorRejection(adapter().completeChat(REQUEST, callContext().context));
    assert.equal(notJson.kind, 'upstream');
    assert.match(notJson.message, /not JSON: <html>maintenance<\/html>/);
    upstream.json('POST', '/v1/chat/completions', 200, { error: { message: 'model crashed' } });
    assert.equal((await gatewayErrorRejection(adapter().completeChat(REQUEST, callContext().context))).message, 'model crashed');
    upstream.json('POST', '/v1/chat/completions', 200, { choices: [] });
    assert.match((await gatewayErrorRejection(adapter().completeChat(REQUEST, callContext().context))).message, /no choices/);
  });

  it('names a redirect as a base_url problem', async () => {
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(308, { location: 'https://elsewhere.example/v1/chat/completions' });
      response.end();
    });
    const error = await gatewayErrorRejection(adapter().completeChat(REQUEST, callContext().context));
    assert.match(error.message, /redirected .* to https:\/\/elsewhere\.example\/v1\/chat\/completions; check its base_url/);
    assert.equal(error.retryable, false);
  });

  it('declares the fields it could not send on the answer, streamed or not', async () => {
    upstream.json('POST', '/v1/chat/completions', 200, { choices: [{ index: 0, finish_reason: 'stop', message: { content: 'ok' } }] });
    const whole = await adapter().completeChat({ ...REQUEST, topK: 5 }, callContext().context);
    assert.deepEqual(whole.degraded, [{ field: 'top_k', reason: 'top_k (5) dropped: this upstream does not take it' }]);
    upstream.chunks('POST', '/v1/chat/completions', ['data: {"id":"s","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\n', 'data: [DONE]\n\n']);
    const events = await Array.fromAsync(await adapter().streamChat({ ...REQUEST, topK: 5 }, callContext().context));
    assert.deepEqual(events[0], { type: 'response-start', id: 's', degraded: [{ field: 'top_k', reason: 'top_k (5) dropped: this upstream does not take it' }] });
  });

  it('sends once more without a field a 400 names, where the dialect allows', async () => {
    upstream.on('POST', '/v1/chat/completions', (call, response) => {
      const body = call.json as Record<string, unknown>;
      const refused = 'logit_bias' in body;
      response.writeHead(refused ? 400 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(refused ? { message: 'logit_bias is not supported', param: 'logit_bias' } : { choices: [{ index: 0, finish_reason: 'stop', message: { content: 'ok' } }] }));
    });
    const captured = callContext();
    const response = await adapter({}, { retryWithoutRejectedParam: true }).completeChat({ ...REQUEST, logitBias: { '1': 5 } }, captured.context);
    assert.equal(responseText(response), 'ok');
    assert.equal(upstream.calls.length, 2);
    assert.match(String(captured.lines[0]?.msg), /refused 'logit_bias'; sending the request again without it/);
    assert.deepEqual(response.degraded, [{ field: 'logit_bias', reason: "provider 'local' refused it for this model" }]);
    upstream.calls.length = 0;
    const strict = await gatewayErrorRejection(adapter().completeChat({ ...REQUEST, logitBias: { '1': 5 } }, callContext().context));
    assert.equal(strict.param, 'logit_bias');
    assert.equal(upstream.calls.length, 1);
  });

  it('lists models from GET /models', async () => {
    upstream.json('GET', '/v1/models', 200, {
      object: 'list',
      data: [
        { id: 'qwen3-32b', object: 'model', created: 1745000000, owned_by: 'vllm', max_model_len: 32768, root: 'Qwen/Qwen3-32B' },
        { id: 'GPT-4o', object: 'model', created: 1715367049000, owned_by: 'openai', description: 'Poe bot' },
      ],
    });
    assert.deepEqual(await adapter({ api_key: 'sk' }).listModels(callContext().context), [
      { id: 'qwen3-32b', created: 1745000000, ownedBy: 'vllm', contextLength: 32768 },
      { id: 'GPT-4o', created: 1715367049, ownedBy: 'openai', description: 'Poe bot' },
    ]);
    assert.equal(upstream.lastCall('/v1/models')?.method, 'GET');
    assert.equal(upstream.lastCall('/v1/models')?.headers.authorization, 'Bearer sk');
    upstream.json('GET', '/v1/models', 500, { error: { message: 'down' } });
    assert.equal((await gatewayErrorRejection(adapter().listModels(callContext().context))).message, 'down');
  });

  it('embeds with POST /embeddings, floats asked, vectors in input order', async () => {
    upstream.json('POST', '/v1/embeddings', 200, {
      object: 'list',
      model: 'text-embedding-3-small',
      data: [
        { object: 'embedding', index: 1, embedding: [0.5, -1] },
        { object: 'embedding', index: 0, embedding: [0.25, 2] },
      ],
      usage: { prompt_tokens: 6, total_tokens: 6 },
    });
    const provider = adapter();
    assert.ok(provider.embed !== undefined);
    const response = await provider.embed({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 2 }, callContext().context);
    assert.deepEqual(response, { model: 'text-embedding-3-small', embeddings: [[0.25, 2], [0.5, -1]], usage: { input: { total: 6 }, output: { total: 0 }, source: 'upstream', raw: { prompt_tokens: 6, total_tokens: 6 } } });
    assert.deepEqual(upstream.lastCall('/v1/embeddings')?.json, { model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float', dimensions: 2 });
    assert.equal(adapter({}, { embeddings: false }).embed, undefined);
  });

  it('aborts the upstream request when the caller signal fires mid-stream', async () => {
    upstream.on('POST', '/v1/chat/completions', async (call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"id":"c","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n');
      await call.aborted;
    });
    const captured = callContext();
    const events = await adapter().streamChat(REQUEST, captured.context);
    const iterator = events[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value?.type, 'response-start');
    assert.equal((await iterator.next()).value?.type, 'text-start');
    assert.equal((await iterator.next()).value?.type, 'text-delta');
    const pending = iterator.next();
    captured.controller.abort();
    const rest: ChatStreamEvent[] = [];
    for (let next = await pending; next.done !== true; next = await iterator.next()) rest.push(next.value);
    assert.deepEqual(rest.map((event) => event.type), ['text-end', 'error']);
    assert.equal((rest[1] as { error: GatewayError }).error.kind, 'canceled');
    assert.equal(await upstream.lastCall('/v1/chat/completions')?.aborted, true);
  });

  it('closes the upstream connection when the consumer stops reading early', async () => {
    upstream.on('POST', '/v1/chat/completions', async (call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"id":"c","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n');
      await call.aborted;
    });
    const events = await adapter().streamChat(REQUEST, callContext().context);
    for await (const event of events) if (event.type === 'text-delta') break;
    assert.equal(await upstream.lastCall('/v1/chat/completions')?.aborted, true);
  });

  it('requires a base_url, and accepts one without a trailing slash', async () => {
    assert.throws(() => adapter({ base_url: undefined }), /base_url is required for type 'openai-compatible'/);
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [] });
    assert.deepEqual(await adapter({ base_url: `${upstream.baseUrl}/v1` }).listModels(callContext().context), []);
  });
});
