import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import { OutcomeHub } from '../observability/outcome-hub.ts';
import type { RequestOutcome } from '../observability/request-outcome.ts';
import type { HeldStream } from './hold-until-output.ts';
import { MeasuredChatStream } from './measure-chat-stream.ts';

const request: ChatRequest = { model: 'm', stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hello there' }] }] };
const USAGE = { input: { total: 5 }, output: { total: 2 }, source: 'upstream' as const };

/** The batches after the held ones, and what became of the iterator (how often it was returned). */
function rest(batches: (ChatStreamEvent[] | Error)[]): { iterator: AsyncIterator<ChatStreamEvent[]>; returned: () => number } {
  let next = 0;
  let returned = 0;
  return {
    iterator: {
      next: async () => {
        const batch = batches[next++];
        if (batch instanceof Error) throw batch;
        return batch === undefined ? { done: true, value: undefined } : { done: false, value: batch };
      },
      return: async () => {
        returned += 1;
        return { done: true, value: undefined };
      },
    },
    returned: () => returned,
  };
}

/** A measured stream with a real request outcome and one attempt; `outcome()` finalises it. */
function measured(held: ChatStreamEvent[], batches: (ChatStreamEvent[] | Error)[]) {
  const hub = new OutcomeHub();
  const recorder = hub.begin({ requestId: 'r', protocol: 'openai', route: '/v1/chat/completions' });
  const attempt = recorder.beginAttempt('p', 'scripted', 'x');
  const source = rest(batches);
  const stream: HeldStream = { held, rest: source.iterator, firstOutputAt: undefined };
  const outcome = async (): Promise<RequestOutcome | undefined> => recorder.close({ finished: true, headersSent: true, status: 200 });
  return { stream: new MeasuredChatStream(stream, request, performance.now(), { outcome: recorder, attempt }), returned: source.returned, outcome };
}

async function readAll(stream: MeasuredChatStream): Promise<ChatStreamEvent[][]> {
  const batches: ChatStreamEvent[][] = [];
  for (let batch = await stream.next(); batch !== undefined; batch = await stream.next()) batches.push(batch);
  return batches;
}

const text = (value: string): ChatStreamEvent => ({ type: 'text-delta', id: 't', text: value });

describe('MeasuredChatStream', () => {
  it('hands on the held events first, then each batch whole, cut after the finish, which gets timing', async () => {
    const { stream, returned, outcome } = measured([{ type: 'response-start' }, text('a')], [[text('b'), text('c')], [text('d'), { type: 'finish', finishReason: 'stop', usage: USAGE }, text('never')], [text('nor this')]]);
    const batches = await readAll(stream);
    assert.deepEqual(
      batches.map((batch) => batch.map((event) => (event.type === 'text-delta' ? event.text : event.type))),
      [['response-start', 'a'], ['b', 'c'], ['d', 'finish']],
    );
    const finish = batches[2]?.[1];
    assert.equal(finish?.type === 'finish' ? finish.timing?.source : undefined, 'measured');
    await stream.close();
    assert.equal(returned(), 1, 'the upstream is told the reader is done, so its connection is released');
    const final = await outcome();
    assert.deepEqual(final?.usage, USAGE);
    assert.equal(final?.attempts[0]?.status, 200);
  });

  it('counts the usage with the tokenizer when the upstream did not report it', async () => {
    const { stream } = measured([text('Hello')], [[text(' world'), { type: 'finish', finishReason: 'stop' }]]);
    const batches = await readAll(stream);
    const finish = batches[1]?.[1];
    assert.equal(finish?.type, 'finish');
    assert.equal(finish.usage?.source, 'counted');
    assert.ok((finish.usage?.output.total ?? 0) > 0 && (finish.usage?.input.total ?? 0) > 0);
  });

  it('turns a thrown failure and a stream that just stops into one error event, and reports what was streamed', async () => {
    for (const ending of [[new GatewayError('upstream', 'connection reset')], []]) {
      const { stream, outcome } = measured([text('Hello')], [[text(' there')], ...ending]);
      const batches = await readAll(stream);
      const last = batches.at(-1);
      assert.equal(last?.length, 1);
      assert.equal(last?.[0]?.type, 'error');
      assert.equal(await stream.next(), undefined, 'nothing after the terminal event');
      await stream.close();
      const final = await outcome();
      assert.equal(final?.usage?.source, 'counted', 'the prompt and what was streamed are charged');
      assert.ok((final?.usage?.output.total ?? 0) > 0);
      assert.equal(final?.attempts[0]?.errorKind, 'upstream');
    }
  });

  it('cuts the upstream and reports a canceled attempt when the reader stops early', async () => {
    const { stream, returned, outcome } = measured([text('Hello')], [[text(' there')], [{ type: 'finish', finishReason: 'stop' }]]);
    await stream.next();
    await stream.close();
    await stream.close();
    assert.equal(returned(), 1);
    assert.equal(await stream.next(), undefined);
    const final = await outcome();
    assert.equal(final?.attempts[0]?.errorKind, 'canceled');
    assert.ok((final?.usage?.output.total ?? 0) > 0);
  });

  it('closes a finished stream without waiting on its upstream, whose return may hang or fail', async () => {
    // Made when asked: a rejection nobody catches fails the test run.
    for (const ending of [() => new Promise<never>(() => undefined), () => Promise.reject(new Error('drain failed'))]) {
      let returned = 0;
      const iterator: AsyncIterator<ChatStreamEvent[]> = {
        next: async () => ({ done: false, value: [{ type: 'finish', finishReason: 'stop', usage: USAGE }] }),
        return: () => {
          returned += 1;
          return ending();
        },
      };
      const stream = new MeasuredChatStream({ held: [text('a')], rest: iterator, firstOutputAt: undefined }, request, performance.now());
      await readAll(stream);
      await stream.close();
      await stream.close();
      assert.equal(returned, 1, 'the upstream is released once');
    }
  });

  it('reads as an async iterable too, closed at its end', async () => {
    const { stream, returned } = measured([text('a')], [[{ type: 'finish', finishReason: 'stop', usage: USAGE }]]);
    const types: string[] = [];
    for await (const batch of stream) types.push(...batch.map((event) => event.type));
    assert.deepEqual(types, ['text-delta', 'finish']);
    assert.equal(returned(), 1);
  });
});
