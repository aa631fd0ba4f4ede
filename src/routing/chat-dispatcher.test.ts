import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import { batchedChatStream } from '../canonical/chat-event-batches.ts';
import { createLogger } from '../observability/create-logger.ts';
import { ScriptedProvider, textScript } from '../../test-support/scripted-provider.ts';
import { ChatDispatcher, type DispatchContext } from './chat-dispatcher.ts';
import { ModelCatalog } from './model-catalog.ts';
import { ModelRouter } from './model-router.ts';
import { InMemoryReasoningStateStore } from '../state/in-memory-reasoning-state-store.ts';
import type { CallContext, SameProtocolHint } from '../providers/provider-adapter.ts';

const log = createLogger('silent');
const FAST_RETRIES = { attempts: 2, baseDelayMs: 1, maxDelayMs: 20 };

function setup(providers: ScriptedProvider[], targets: string[]) {
  const router = new ModelRouter({ models: [{ name: 'm', targets }], default_model: undefined }, providers, new ModelCatalog(providers, log));
  return new ChatDispatcher(router, FAST_RETRIES);
}

function context(overrides: Partial<DispatchContext> = {}): DispatchContext {
  return { signal: new AbortController().signal, requestId: 'test', log, upstreamMs: 0, degraded: [], ...overrides };
}

const request: ChatRequest = { model: 'm', stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hello there' }] }] };

async function drain(batches: AsyncIterable<ChatStreamEvent[]>): Promise<ChatStreamEvent[]> {
  const all: ChatStreamEvent[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

describe('ChatDispatcher', () => {
  it('answers with a model the route already resolved, without resolving its name again', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = textScript('hi');
    const dispatcher = setup([provider], ['a/upstream-x']);
    const routed = await dispatcher.router.resolve('m');
    let resolvedAgain = 0;
    const resolveNow = dispatcher.router.resolveNow.bind(dispatcher.router);
    dispatcher.router.resolveNow = (name) => {
      resolvedAgain++;
      return resolveNow(name);
    };
    const answer = await dispatcher.complete({ ...request, stream: false }, context(), undefined, routed);
    assert.equal(answer.model, routed);
    assert.equal(resolvedAgain, 0);
    // A model resolved for another name, or one default_model stands in for, is not taken on trust.
    await dispatcher.complete({ ...request, stream: false }, context(), undefined, { ...routed, name: 'other' });
    await dispatcher.complete({ ...request, stream: false }, context(), undefined, { ...routed, standsInFor: 'unknown' });
    assert.equal(resolvedAgain, 2);
    await assert.rejects(
      dispatcher.complete({ ...request, stream: false }, context({ allowedModels: new Set(['n']) }), undefined, routed),
      (error: unknown) => error instanceof GatewayError && error.kind === 'permission',
    );
  });

  it('sends the upstream model id and reports where it went', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = textScript('hi');
    const dispatcher = setup([provider], ['a/upstream-x']);
    const ctx = context();
    const routed = await dispatcher.stream(request, ctx);
    await drain(routed.batches);
    assert.equal(provider.requests[0]?.model, 'upstream-x');
    assert.equal(ctx.target?.provider.id, 'a');
    assert.ok(ctx.upstreamMs > 0, `the upstream call's time is counted: ${ctx.upstreamMs} ms`);
  });

  it('counts as upstream time the wait the HTTP client reports, not the provider\'s own work around it', async () => {
    const provider = new ScriptedProvider('a');
    provider.completeChat = async (_request, callContext) => {
      assert.ok(callContext.upstreamWait !== undefined, 'the provider is handed a wait clock');
      callContext.upstreamWait.ms += 3;
      callContext.upstreamWait.reported = true;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { model: 'x', parts: [{ type: 'text', text: 'ok' }], finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 1 }, source: 'upstream' } };
    };
    const ctx = context();
    await setup([provider], ['a/x']).complete({ ...request, stream: false }, ctx);
    assert.equal(ctx.upstreamMs, 3);
    assert.equal(ctx.upstreamWait, undefined, 'the clock is taken back after the attempt');
  });

  it('counts the whole call as upstream time when the provider reports no wait', async () => {
    const provider = new ScriptedProvider('a');
    provider.completeChat = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { model: 'x', parts: [{ type: 'text', text: 'ok' }], finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 1 }, source: 'upstream' } };
    };
    const ctx = context();
    await setup([provider], ['a/x']).complete({ ...request, stream: false }, ctx);
    assert.ok(ctx.upstreamMs >= 29, `${ctx.upstreamMs} ms`);
  });

  it('counts as a stream\'s upstream time the HTTP client\'s wait and the wait for the first output, not the provider\'s own work', async () => {
    const provider = new ScriptedProvider('a');
    provider.streamChat = async (_request, callContext) => {
      assert.ok(callContext.upstreamWait !== undefined, 'the provider is handed a wait clock');
      callContext.upstreamWait.ms += 3;
      callContext.upstreamWait.reported = true;
      // llmux's own work around the call (building the request, reading the headers): not upstream time.
      // Far longer than the wait below, so that a timer firing late on a loaded machine cannot blur the two.
      await new Promise((resolve) => setTimeout(resolve, 150));
      return (async function* () {
        yield { type: 'response-start' } as ChatStreamEvent;
        // The upstream thinking before its first token: upstream time.
        await new Promise((resolve) => setTimeout(resolve, 30));
        yield { type: 'text-delta', id: 't', text: 'hi' } as ChatStreamEvent;
        yield { type: 'finish', finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 1 }, source: 'upstream' } } as ChatStreamEvent;
      })();
    };
    const ctx = context();
    const routed = await setup([provider], ['a/x']).stream(request, ctx);
    assert.ok(ctx.upstreamMs >= 32 && ctx.upstreamMs < 150, `3 ms of HTTP wait and about 30 ms before the first output, not the 150 ms of the provider's own work: ${ctx.upstreamMs} ms`);
    assert.equal(ctx.upstreamWait, undefined, 'the clock is taken back after the attempt');
    await drain(routed.batches);
  });

  it('counts a stream\'s whole call as upstream time when the provider reports no wait, and a failed attempt too', async () => {
    const provider = new ScriptedProvider('a');
    let calls = 0;
    provider.streamChat = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (calls === 1) throw new GatewayError('overloaded', 'busy');
      return (async function* () {
        yield { type: 'text-delta', id: 't', text: 'hi' } as ChatStreamEvent;
        yield { type: 'finish', finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 1 }, source: 'upstream' } } as ChatStreamEvent;
      })();
    };
    const ctx = context();
    const routed = await setup([provider], ['a/x']).stream(request, ctx);
    assert.equal(calls, 2);
    assert.ok(ctx.upstreamMs >= 38, `two calls of 20 ms: ${ctx.upstreamMs} ms`);
    await drain(routed.batches);
  });

  it('retries a retryable failure, then succeeds on the same target', async () => {
    const provider = new ScriptedProvider('a');
    let calls = 0;
    provider.streamChat = async () => {
      calls++;
      if (calls === 1) throw new GatewayError('overloaded', 'busy');
      return (async function* () {
        yield* textScript('ok');
      })();
    };
    const dispatcher = setup([provider], ['a/x']);
    const ctx = context();
    const routed = await dispatcher.stream(request, ctx);
    const events = await drain(routed.batches);
    assert.equal(calls, 2);
    assert.equal(events.at(-1)?.type, 'finish');
    assert.ok((ctx.retryWaitMs ?? 0) > 0, 'the wait before the retry is recorded apart from upstream time');
  });

  it('falls back to the next target when one keeps failing', async () => {
    const first = new ScriptedProvider('a');
    first.script = new GatewayError('rate_limit', 'slow down');
    const second = new ScriptedProvider('b');
    second.script = textScript('from b');
    const dispatcher = setup([first, second], ['a/x', 'b/y']);
    const ctx = context();
    const routed = await dispatcher.stream(request, ctx);
    await drain(routed.batches);
    assert.equal(first.requests.length, 2, 'the first target is retried once');
    assert.equal(second.requests.length, 1);
    assert.equal(ctx.target?.provider.id, 'b');
  });

  it('never retries or falls back on a client error', async () => {
    const first = new ScriptedProvider('a');
    first.script = new GatewayError('invalid_request', 'bad tool schema');
    const second = new ScriptedProvider('b');
    second.script = textScript('from b');
    const dispatcher = setup([first, second], ['a/x', 'b/y']);
    await assert.rejects(dispatcher.stream(request, context()), /bad tool schema/);
    assert.equal(first.requests.length, 1);
    assert.equal(second.requests.length, 0);
  });

  it('treats a retryable error as the first stream event like a failed call', async () => {
    const provider = new ScriptedProvider('a');
    let calls = 0;
    provider.script = () => {
      calls++;
      const events: ChatStreamEvent[] = calls === 1 ? [{ type: 'error', error: new GatewayError('upstream', 'hiccup') }] : textScript('ok');
      return (async function* () {
        yield* events;
      })();
    };
    const dispatcher = setup([provider], ['a/x']);
    const events = await drain((await dispatcher.stream(request, context())).batches);
    assert.equal(calls, 2);
    assert.deepEqual(events.filter((event) => event.type === 'text-delta'), [{ type: 'text-delta', id: 't', text: 'ok' }]);
  });

  it('retries an upstream that fails after its opening events but before any output', async () => {
    const provider = new ScriptedProvider('a');
    let calls = 0;
    provider.script = () => {
      calls++;
      const events: ChatStreamEvent[] =
        calls === 1 ? [{ type: 'response-start', id: 'r' }, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', text: '' }, { type: 'error', error: new GatewayError('upstream', 'reset') }] : textScript('ok');
      return (async function* () {
        yield* events;
      })();
    };
    const dispatcher = setup([provider], ['a/x']);
    const events = await drain((await dispatcher.stream(request, context())).batches);
    assert.equal(calls, 2);
    assert.deepEqual(events.map((event) => event.type), ['response-start', 'text-start', 'text-delta', 'text-end', 'finish']);
  });

  it('fails before output as a plain error when a stream ends with nothing, so no 200 is sent', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = [{ type: 'response-start', id: 'r' }];
    const dispatcher = setup([provider], ['a/x']);
    await assert.rejects(dispatcher.stream(request, context()), /ended before the response was complete/);
    assert.equal(provider.requests.length, 2, 'an upstream failure is retried');
  });

  it('ends a stream that stops without finish after output with an error event', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = [{ type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', text: 'half' }];
    const dispatcher = setup([provider], ['a/x']);
    const events = await drain((await dispatcher.stream(request, context())).batches);
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.match(last?.type === 'error' ? last.error.message : '', /ended before the response was complete/);
  });

  it('turns a provider throwing mid-stream into one error event', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = () =>
      (async function* (): AsyncGenerator<ChatStreamEvent> {
        yield { type: 'text-start', id: 't' };
        yield { type: 'text-delta', id: 't', text: 'x' };
        throw new GatewayError('upstream', 'connection reset');
      })();
    const dispatcher = setup([provider], ['a/x']);
    const events = await drain((await dispatcher.stream(request, context())).batches);
    assert.deepEqual(
      events.map((event) => event.type),
      ['text-start', 'text-delta', 'error'],
    );
  });

  it('fills measured timing and counted usage when the upstream gave none', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = [{ type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', text: 'Hello, world! How are you today?' }, { type: 'text-end', id: 't' }, { type: 'finish', finishReason: 'stop' }];
    const dispatcher = setup([provider], ['a/x']);
    const events = await drain((await dispatcher.stream(request, context())).batches);
    const finish = events.at(-1);
    assert.ok(finish?.type === 'finish');
    assert.equal(finish.timing?.source, 'measured');
    assert.equal(finish.usage?.source, 'counted');
    assert.ok((finish.usage?.output.total ?? 0) >= 5, 'output tokens are counted from the text');
    assert.ok((finish.usage?.input.total ?? 0) >= 2);
  });

  it('keeps the upstream usage and timing when given', async () => {
    const provider = new ScriptedProvider('a');
    const timing = { queueMs: 1, promptMs: 2, completionMs: 3, totalMs: 6, source: 'upstream' as const };
    provider.script = [{ type: 'finish', finishReason: 'stop', usage: { input: { total: 7 }, output: { total: 9 }, source: 'upstream' }, timing }];
    const dispatcher = setup([provider], ['a/x']);
    const result = await dispatcher.complete({ ...request, stream: false }, context());
    assert.deepEqual(result.response.usage, { input: { total: 7 }, output: { total: 9 }, source: 'upstream' });
    assert.deepEqual(result.response.timing, timing);
  });

  it('starts the upstream call of a stream on a known model at once, and one default_model stands in for once it is resolved', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = textScript('hi');
    const dispatcher = setup([provider], ['a/x']);
    const streaming = dispatcher.stream(request, context());
    // No promise step before the call: the provider has the request before the caller awaits anything.
    assert.equal(provider.requests.length, 1);
    assert.ok((await drain((await streaming).batches)).some((event) => event.type === 'text-delta'));
    const router = new ModelRouter({ models: [{ name: 'm', targets: ['a/x'] }], default_model: 'm' }, [provider], new ModelCatalog([provider], log));
    const stoodIn = await new ChatDispatcher(router, FAST_RETRIES).stream({ ...request, model: 'unknown' }, context());
    assert.equal(stoodIn.model.standsInFor, 'unknown');
    assert.ok((await drain(stoodIn.batches)).some((event) => event.type === 'text-delta'));
    assert.equal(provider.requests.length, 2);
  });

  it('refuses a model the client key may not use, before any upstream call', async () => {
    const provider = new ScriptedProvider('a');
    const dispatcher = setup([provider], ['a/x']);
    await assert.rejects(dispatcher.stream(request, context({ allowedModels: new Set(['other']) })), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 403);
      return true;
    });
    assert.equal(provider.requests.length, 0);
  });

  it('stops at once when the client went away', async () => {
    const provider = new ScriptedProvider('a');
    provider.script = new GatewayError('overloaded', 'busy');
    const dispatcher = setup([provider], ['a/x']);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(dispatcher.stream(request, context({ signal: controller.signal })), /canceled/);
    assert.equal(provider.requests.length, 0);
  });

  it('keeps a provider’s batches (one per upstream network chunk) whole, the held opening with the first output', async () => {
    const provider = new ScriptedProvider('a');
    provider.streamChat = async () =>
      batchedChatStream(async function* () {
        yield [{ type: 'response-start', id: 'r' }];
        yield [{ type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', text: 'a' }, { type: 'text-delta', id: 't', text: 'b' }];
        yield [{ type: 'text-delta', id: 't', text: 'c' }, { type: 'text-end', id: 't' }, { type: 'finish', finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 3 }, source: 'upstream' } }, { type: 'text-delta', id: 't', text: 'never' }];
      });
    const routed = await setup([provider], ['a/x']).stream(request, context());
    const batches: string[][] = [];
    for await (const batch of routed.batches) batches.push(batch.map((event) => (event.type === 'text-delta' ? event.text : event.type)));
    assert.deepEqual(batches, [
      ['response-start', 'text-start', 'a', 'b'],
      ['c', 'text-end', 'finish'],
    ]);
  });

  it("passes the client's wire-form messages on only while the target gets the client's own messages", async () => {
    const provider = new ScriptedProvider('a');
    const hints: unknown[] = [];
    provider.completeChat = async (_request: ChatRequest, _context: CallContext, hint?: SameProtocolHint) => {
      hints.push(hint);
      return { parts: [{ type: 'text', text: 'ok' }], finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 1 }, source: 'upstream' } };
    };
    const hint = { openAIMessages: [{ role: 'user', content: 'hello there' }] } as const;
    const store = new InMemoryReasoningStateStore();
    const router = new ModelRouter({ models: [{ name: 'm', targets: ['a/x'] }], default_model: undefined }, [provider], new ModelCatalog([provider], log));
    const dispatcher = new ChatDispatcher(router, FAST_RETRIES, store);
    await dispatcher.complete({ ...request, stream: false }, context(), hint);
    // Reasoning state put back into an assistant turn: the messages sent are no longer the client's.
    store.rememberToolCall('call_1', { providerType: provider.type, model: 'x', reasoning: [{ type: 'reasoning', text: 'signed', metadata: { provider: provider.type, signature: 's' } }] });
    const withToolCall: ChatRequest = {
      ...request,
      stream: false,
      messages: [...request.messages, { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' }] }],
    };
    await dispatcher.complete(withToolCall, context(), hint);
    assert.deepEqual(hints, [hint, undefined]);
  });
});
