import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import OpenAI from 'openai';
import { pino } from 'pino';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import type { RequestOutcome } from '../src/observability/request-outcome.ts';
import type { CallContext } from '../src/providers/provider-adapter.ts';
import { countChatUsage } from '../src/routing/count-chat-usage.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

describe('one outcome per request', () => {
  let gateway: TestGateway;
  const primary = new ScriptedProvider('primary', [{ id: 'm' }]);
  const backup = new ScriptedProvider('backup', [{ id: 'm' }]);
  const outcomes: RequestOutcome[] = [];
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) as unknown as FastifyBaseLogger;
  let waiters: (() => void)[] = [];

  before(async () => {
    gateway = await startTestGateway(
      {
        keys: [
          { key: 'sk-a', name: 'alice', tpm: 100 },
          { key: 'sk-b', name: 'bob' },
        ],
        models: [{ name: 'house', targets: ['primary/m', 'backup/m'] }],
      },
      { adapters: [primary, backup], logger },
    );
    gateway.gateway.services.outcomes.subscribe((outcome) => {
      outcomes.push(outcome);
      for (const wake of waiters) wake();
      waiters = [];
    });
  });
  after(() => gateway.close());
  beforeEach(() => {
    outcomes.length = 0;
    lines.length = 0;
    primary.script = textScript('hello there', { input: { total: 7 }, output: { total: 2 } });
    backup.script = textScript('from backup');
  });

  async function nextOutcome(): Promise<RequestOutcome> {
    while (outcomes.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return outcomes.shift() as RequestOutcome;
  }

  /** The request's access line: written once the loop has turned after its outcome (see deferred-log-lines.ts). */
  async function accessLine(requestId: string): Promise<Record<string, unknown> | undefined> {
    for (let waited = 0; waited < 2_000; waited += 5) {
      const line = lines.find((candidate) => candidate.msg === 'request' && candidate.reqId === requestId);
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return undefined;
  }

  function client(apiKey = 'sk-b'): OpenAI {
    return new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey, maxRetries: 0 });
  }

  it('records a whole answer: model asked for, key, attempt, usage, bytes, time to first byte', async () => {
    const { response } = await client().chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    const bodyBytes = Number(response.headers.get('content-length'));
    const outcome = await nextOutcome();
    assert.equal(outcome.requestId, response.headers.get('x-request-id'));
    assert.deepEqual(
      [outcome.protocol, outcome.route, outcome.requestedModel, outcome.keyName, outcome.provider, outcome.upstreamModel, outcome.status, outcome.result, outcome.streamed],
      ['openai', '/v1/chat/completions', 'house', 'bob', 'primary', 'm', 200, 'success', false],
    );
    assert.deepEqual(
      outcome.attempts.map((attempt) => [attempt.provider, attempt.providerType, attempt.model, attempt.status, attempt.errorKind]),
      [['primary', 'scripted', 'm', 200, undefined]],
    );
    assert.deepEqual(outcome.usage, { input: { total: 7 }, output: { total: 2 }, source: 'upstream' });
    assert.ok(bodyBytes > 0);
    assert.equal(outcome.bytesOut, bodyBytes);
    assert.ok(outcome.ttftMs !== undefined && outcome.ttftMs <= outcome.totalMs, `ttft ${outcome.ttftMs} within total ${outcome.totalMs}`);
    assert.ok(outcome.overheadMs <= outcome.totalMs);
    assert.deepEqual(outcome.degraded, []);
    assert.equal(outcomes.length, 0, 'exactly one outcome');
    const line = await accessLine(outcome.requestId);
    assert.deepEqual(
      [line?.reqId, line?.status, line?.result, line?.model, line?.key, line?.provider, line?.upstreamModel, line?.streamed, line?.tokens],
      [outcome.requestId, 200, 'success', 'house', 'bob', 'primary', 'm', false, { input: 7, output: 2, source: 'upstream' }],
    );
  });

  it('records every attempt of a fallback, the failed one with its status and kind', async () => {
    primary.script = new GatewayError('authentication', 'key refused', { upstreamStatus: 401, retryable: true });
    const stream = await client().chat.completions.create({ model: 'house', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'from backup');
    const outcome = await nextOutcome();
    assert.deepEqual(
      outcome.attempts.map((attempt) => [attempt.provider, attempt.status, attempt.errorKind]),
      [
        ['primary', 401, 'authentication'],
        ['primary', 401, 'authentication'],
        ['backup', 200, undefined],
      ],
    );
    assert.deepEqual([outcome.provider, outcome.result, outcome.streamed], ['backup', 'success', true]);
  });

  it("keeps the upstream's own timing beside the time to first token llmux measured", async () => {
    const upstreamTiming = { queueMs: 1, promptMs: 2, completionMs: 3, totalMs: 6, source: 'upstream' as const };
    primary.script = [
      { type: 'response-start' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'timed' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 1 }, source: 'upstream' }, timing: upstreamTiming },
    ];
    const stream = await client().chat.completions.create({ model: 'house', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    for await (const chunk of stream) void chunk;
    const outcome = await nextOutcome();
    assert.deepEqual(outcome.upstreamTiming, upstreamTiming);
    assert.ok(outcome.ttftMs !== undefined, 'llmux measured its own time to first token');
  });

  it('records an upstream error answered before any output', async () => {
    primary.script = new GatewayError('invalid_request', 'bad temperature', { upstreamStatus: 400, param: 'temperature' });
    const error = await client().chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.APIError && error.status === 400);
    const outcome = await nextOutcome();
    assert.deepEqual(
      [outcome.status, outcome.result, outcome.errorKind, outcome.errorMessage, outcome.ttftMs, outcome.usage],
      [400, 'error', 'invalid_request', 'bad temperature', undefined, undefined],
    );
    assert.deepEqual(outcome.attempts.map((attempt) => [attempt.provider, attempt.status]), [['primary', 400]]);
  });

  it('logs, counts and charges a stream the client aborted after its first chunk', async () => {
    let release: () => void = () => undefined;
    const firstSent = new Promise<void>((resolve) => {
      release = resolve;
    });
    primary.script = (_request, context: CallContext) =>
      (async function* (): AsyncGenerator<ChatStreamEvent> {
        yield { type: 'response-start' };
        yield { type: 'input-usage', input: { total: 42, cacheRead: 40 } };
        yield { type: 'text-start', id: 't' };
        yield { type: 'text-delta', id: 't', text: 'The first words of a long answer' };
        release();
        if (!context.signal.aborted) await once(context.signal, 'abort');
        throw new GatewayError('canceled', 'request canceled');
      })();
    const controller = new AbortController();
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-a' },
      body: JSON.stringify({ model: 'house', stream: true, messages: [{ role: 'user', content: 'Tell me everything' }] }),
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    const reader = response.body?.getReader();
    assert.ok(reader !== undefined);
    const first = await reader.read();
    assert.equal(first.done, false);
    await firstSent;
    controller.abort();
    const outcome = await nextOutcome();
    const counted = await countChatUsage(primary.requests.at(-1)?.messages ?? [], undefined, 'The first words of a long answer');
    const expected = { ...counted, input: { total: 42, cacheRead: 40 } };
    assert.deepEqual([outcome.result, outcome.status, outcome.keyName, outcome.streamed], ['client_abort', 499, 'alice', true]);
    assert.ok(expected.output.total > 0);
    assert.deepEqual(outcome.usage, expected, 'the prompt as the upstream reported it early, and what was streamed, counted');
    assert.ok(outcome.ttftMs !== undefined && outcome.bytesOut > 0);
    assert.deepEqual(outcome.attempts.map((attempt) => [attempt.provider, attempt.status]), [['primary', 499]]);
    const line = await accessLine(outcome.requestId);
    assert.deepEqual([line?.result, line?.status, line?.key], ['client_abort', 499, 'alice'], 'the aborted stream has its access-log line');

    // Charged to alice's tpm of 100: an answer of exactly the rest uses it up, which it would not without the charge.
    const rest = 100 - (expected.input.total + expected.output.total);
    primary.script = textScript('ok', { input: { total: rest }, output: { total: 0 } });
    await client('sk-a').chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'Hi' }] });
    await nextOutcome();
    const refused = await client('sk-a').chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(refused instanceof OpenAI.APIError, 'the aborted stream counted towards the limit');
    assert.equal(refused.status, 429);
  });
});
