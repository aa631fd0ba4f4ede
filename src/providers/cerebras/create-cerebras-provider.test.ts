import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { gatewayConfigSchema } from '../../config/gateway-config-schema.ts';
import { createLogger } from '../../observability/create-logger.ts';
import { buildGateway } from '../../server/build-gateway.ts';
import { createUpstreamHttpClient } from '../shared/upstream-http-client.ts';
import { FakeCerebrasUpstream } from '../../../test-support/fake-cerebras-upstream.ts';
import { collectChatResponse } from '../collect-chat-response.ts';
import type { CallContext, ProviderAdapter } from '../provider-adapter.ts';
import { createCerebrasProvider } from './create-cerebras-provider.ts';
import { responseReasoning, responseText, responseToolCalls } from '../../canonical/chat-response.ts';
import { gatewayErrorRejection } from '../../../test-support/assert-gateway-error.ts';

const log = createLogger('silent');

function callContext(controller = new AbortController()): CallContext {
  return { signal: controller.signal, requestId: 'test', log };
}

const REQUEST: ChatRequest = {
  model: 'gpt-oss-120b',
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] }],
  stream: true,
  maxTokens: 500,
  reasoning: { effort: 'minimal' },
};

describe('cerebras provider against a fake Cerebras', () => {
  let cerebras: FakeCerebrasUpstream;
  let provider: ProviderAdapter;

  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    provider = createCerebrasProvider({ config: cerebras.providerConfig(), httpClient: createUpstreamHttpClient(), log });
  });
  afterEach(() => {
    cerebras.server.calls.length = 0;
  });
  after(async () => {
    await provider.close();
    await cerebras.close();
  });

  it('streams reasoning and text with Cerebras usage and time_info, sending Cerebras fields', async () => {
    cerebras.answer({ text: 'Hi there!', reasoning: 'User greets.', timeInfo: { queue_time: 0.001, prompt_time: 0.002, completion_time: 0.004, total_time: 0.0075 } });
    const events = await Array.fromAsync(await provider.streamChat(REQUEST, callContext()));
    assert.deepEqual(
      events.map((event) => event.type),
      ['response-start', 'reasoning-start', 'reasoning-delta', 'reasoning-delta', 'reasoning-end', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish'],
    );
    assert.deepEqual(events.at(-1), {
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        input: { total: 24, cacheRead: 0 },
        output: { total: 4, reasoning: 2 },
        source: 'upstream',
        raw: { prompt_tokens: 24, completion_tokens: 4, total_tokens: 28, completion_tokens_details: { reasoning_tokens: 2 }, prompt_tokens_details: { cached_tokens: 0 } },
      },
      timing: { queueMs: 1, promptMs: 2, completionMs: 4, totalMs: 7.5, source: 'upstream' },
    });
    const call = cerebras.server.lastCall('/v1/chat/completions');
    assert.equal(call?.headers.authorization, 'Bearer csk-test-key');
    assert.deepEqual(call?.json, {
      model: 'gpt-oss-120b',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 500,
      reasoning_effort: 'low',
    });
  });

  it('completes without streaming, reading reasoning, usage and time_info from the body', async () => {
    cerebras.answer({ text: 'Hello!', reasoning: 'User greets.' });
    const response = await provider.completeChat({ ...REQUEST, stream: false }, callContext());
    assert.equal(responseText(response), 'Hello!');
    assert.equal(responseReasoning(response), 'User greets.');
    assert.equal(response.model, 'gpt-oss-120b');
    assert.deepEqual(response.usage, {
      input: { total: 24, cacheRead: 0 },
      output: { total: 3, reasoning: 2 },
      source: 'upstream',
      raw: { prompt_tokens: 24, completion_tokens: 3, total_tokens: 27, completion_tokens_details: { reasoning_tokens: 2 }, prompt_tokens_details: { cached_tokens: 0 } },
    });
    assert.equal(response.timing?.source, 'upstream');
    assert.equal(response.timing?.totalMs, 20.383);
    assert.equal((cerebras.chatRequests()[0] as { stream?: unknown }).stream, undefined);
  });

  it('splits Qwen <think> content into reasoning, streamed or not', async () => {
    cerebras.answer({ model: 'qwen-3-32b', thinkTags: 'Short poem.', text: 'Leaves fall.' });
    const streamed = await collectChatResponse(await provider.streamChat({ ...REQUEST, model: 'qwen-3-32b' }, callContext()));
    assert.equal(responseReasoning(streamed), 'Short poem.');
    assert.equal(responseText(streamed), 'Leaves fall.');
    const whole = await provider.completeChat({ ...REQUEST, model: 'qwen-3-32b', stream: false }, callContext());
    assert.equal(responseReasoning(whole), 'Short poem.');
    assert.equal(responseText(whole), 'Leaves fall.');
  });

  it('assembles streamed tool calls', async () => {
    cerebras.answer({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }, { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' }] });
    const response = await collectChatResponse(await provider.streamChat(REQUEST, callContext()));
    assert.equal(response.finishReason, 'tool-calls');
    assert.deepEqual(responseToolCalls(response), [
      { type: 'tool-call', id: 'call_fake00000000000000000', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { type: 'tool-call', id: 'call_fake00000000000000001', name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
    ]);
  });

  it('lists models with the facts of their own entries, and offers no embeddings', async () => {
    cerebras.models(['gpt-oss-120b', 'zai-glm-4.7']);
    assert.deepEqual(await provider.listModels(callContext()), [
      {
        id: 'gpt-oss-120b',
        created: 1721692800,
        ownedBy: 'Cerebras',
        description: 'gpt-oss-120b on Cerebras',
        contextLength: 131072,
        maxOutputTokens: 65536,
        capabilities: ['completion', 'tools', 'thinking'],
        price: { input: 0.25, output: 0.69 },
      },
      // No entry of its own at the fake (GET /v1/models/zai-glm-4.7 is a 404): kept as listed.
      { id: 'zai-glm-4.7', created: 1721692800, ownedBy: 'Cerebras' },
    ]);
    assert.equal(provider.embed, undefined);
  });

  it('maps Cerebras error bodies and statuses', async () => {
    const cases: [number, string, string, boolean, string][] = [
      [400, 'invalid_request', "Invalid 'messages': must not be empty", false, "Invalid 'messages': must not be empty"],
      [401, 'authentication', 'Wrong API Key', false, "provider 'cerebras' rejected the API key llmux is configured with: Wrong API Key (check its api_key)"],
      [403, 'permission', 'Access denied', false, "provider 'cerebras' refused the request made with the API key llmux is configured with: Access denied"],
      [404, 'not_found', 'Model does not exist or you do not have access to it.', false, 'Model does not exist or you do not have access to it.'],
      [500, 'upstream', 'Internal server error', true, 'Internal server error'],
      [503, 'overloaded', 'We are experiencing high traffic right now! Please try again soon.', true, 'We are experiencing high traffic right now! Please try again soon.'],
    ];
    for (const [status, kind, message, retryable, expected] of cases) {
      cerebras.fail(status, { message, type: 'some_error', param: status === 404 ? 'model' : null, code: status === 404 ? 'model_not_found' : null });
      const error = await gatewayErrorRejection(provider.streamChat(REQUEST, callContext()));
      assert.equal(error.kind, kind, String(status));
      assert.equal(error.message, expected);
      assert.equal(error.upstreamStatus, status);
      assert.equal(error.retryable, retryable, String(status));
      if (status === 404) {
        assert.equal(error.param, 'model');
        assert.equal(error.code, 'model_not_found');
      }
    }
  });

  it('passes on a 429 with its retry-after', async () => {
    cerebras.fail(429, { message: 'Tokens per minute limit exceeded - too many tokens processed.', type: 'too_many_requests_error', code: 'token_quota_exceeded' }, { 'retry-after': '7' });
    const error = await gatewayErrorRejection(provider.streamChat(REQUEST, callContext()));
    assert.equal(error.kind, 'rate_limit');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterSeconds, 7);
    assert.equal(error.code, 'token_quota_exceeded');
  });

  it('retries without the fields a real Cerebras 400 names only in its message, and says so', async () => {
    cerebras.answer({ text: 'ok', model: 'llama3.1-8b' });
    const lines: Record<string, unknown>[] = [];
    const capture = { ...log, warn: (fields: Record<string, unknown>, msg: string) => lines.push({ ...fields, msg }) } as unknown as CallContext['log'];
    const response = await provider.completeChat({ ...REQUEST, model: 'llama3.1-8b', reasoning: undefined, stream: false, logitBias: { '1': 5 }, parallelToolCalls: false }, { ...callContext(), log: capture });
    assert.equal(responseText(response), 'ok');
    assert.deepEqual(response.degraded, [
      { field: 'parallel_tool_calls', reason: "provider 'cerebras' refused it for this model" },
      { field: 'logit_bias', reason: "provider 'cerebras' refused it for this model" },
    ]);
    const [first, second] = cerebras.chatRequests() as Record<string, unknown>[];
    assert.ok(first !== undefined && 'logit_bias' in first && 'parallel_tool_calls' in first);
    assert.ok(second !== undefined && !('logit_bias' in second) && !('parallel_tool_calls' in second));
    assert.equal(second.max_completion_tokens, 500);
    assert.deepEqual(lines.at(-1)?.fields, ['parallel_tool_calls', 'logit_bias']);
  });

  it('keeps a refusal of an essential field as the 400 it is', async () => {
    cerebras.fail(400, { message: "body.tools: property 'body.tools' is unsupported", param: 'validation_error', code: 'wrong_api_format' });
    const error = await gatewayErrorRejection(provider.completeChat({ ...REQUEST, stream: false, tools: [{ name: 'f', parameters: { type: 'object' } }] }, callContext()));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'wrong_api_format');
    assert.equal(cerebras.chatRequests().length, 1);
  });

  it('ends a mid-stream error and a cut stream with an error event', async () => {
    cerebras.fixture('mid-stream-error');
    const failed = await Array.fromAsync(await provider.streamChat(REQUEST, callContext()));
    assert.equal(failed.at(-1)?.type, 'error');
    assert.equal((failed.at(-1) as { error: GatewayError }).error.upstreamStatus, 500);
    cerebras.answer({ text: 'Once upon a time', cut: true });
    const cut = await Array.fromAsync(await provider.streamChat(REQUEST, callContext()));
    assert.equal(cut.at(-1)?.type, 'error');
    assert.match((cut.at(-1) as { error: GatewayError }).error.message, /ended before the response was complete/);
  });

  it('aborts the request at Cerebras when the client goes away', async () => {
    cerebras.answer({ text: 'A long story', holdOpen: true });
    const controller = new AbortController();
    const events = await provider.streamChat(REQUEST, callContext(controller));
    const seen: ChatStreamEvent[] = [];
    for await (const event of events) {
      seen.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    const last = seen.at(-1);
    assert.equal(last?.type === 'error' && last.error.kind, 'canceled');
    assert.equal(await cerebras.server.lastCall('/v1/chat/completions')?.aborted, true);
  });

  it('is what the registry builds for `type: cerebras`', async () => {
    cerebras.answer({ text: 'Routed.' });
    const gateway = await buildGateway(gatewayConfigSchema.parse({ providers: [cerebras.providerConfig('cb')] }), log);
    try {
      const routed = await gateway.services.dispatcher.complete({ ...REQUEST, model: 'cb/gpt-oss-120b', stream: false }, { ...callContext(), upstreamMs: 0, degraded: [] });
      assert.equal(responseText(routed.response), 'Routed.');
      assert.equal(routed.target.provider.type, 'cerebras');
    } finally {
      await gateway.close();
    }
  });
});
