import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../../canonical/gateway-error.ts';
import { responsesEnvelope } from './responses-envelope.ts';
import { encodeEvents, readChatStreamBody } from '../../../../test-support/read-chat-stream-body.ts';
import { ResponsesStreamEncoder } from './responses-stream-encoder.ts';

function encoder(reasoningAsSummary = false, beforeEnd?: () => Promise<void>): ResponsesStreamEncoder {
  let counter = 0;
  const envelope = responsesEnvelope({ model: 'gpt-test', input: 'hi', store: false }, 'resp_1', 1_700_000_000);
  const newId = (prefix: string): string => `${prefix}${++counter}`;
  return new ResponsesStreamEncoder(envelope, beforeEnd === undefined ? { reasoningAsSummary, newId } : { reasoningAsSummary, newId, beforeEnd });
}

function encodeAll(target: ResponsesStreamEncoder, events: ChatStreamEvent[]): Promise<string> {
  return encodeEvents(target, events);
}

/** `event:`/`data:` pairs, parsed. */
function frames(text: string): { event: string; data: Record<string, unknown> }[] {
  assert.ok(text.endsWith('\n\n'));
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const [eventLine, dataLine, ...rest] = block.split('\n');
      assert.equal(rest.length, 0);
      assert.ok(eventLine?.startsWith('event: ') && dataLine?.startsWith('data: '), block);
      return { event: eventLine.slice(7), data: JSON.parse(dataLine.slice(6)) as Record<string, unknown> };
    });
}

describe('ResponsesStreamEncoder', () => {
  it("says the tier asked for while in progress (auto when none was) and the tier that served it once finished, as api.openai.com does", async () => {
    const tierOf = (frame: { data: Record<string, unknown> } | undefined): unknown => (frame?.data['response'] as Record<string, unknown>)['service_tier'];
    const run = async (asked: string | undefined, named: string | undefined, end: ChatStreamEvent): Promise<unknown[]> => {
      const envelope = responsesEnvelope(asked === undefined ? { model: 'gpt-test', input: 'hi' } : { model: 'gpt-test', input: 'hi', service_tier: asked }, 'resp_1', 1_700_000_000);
      const target = new ResponsesStreamEncoder(envelope, { reasoningAsSummary: false, newId: (prefix) => `${prefix}1` });
      const start: ChatStreamEvent = named === undefined ? { type: 'response-start' } : { type: 'response-start', serviceTier: named };
      const all = frames(await encodeAll(target, [start, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', text: 'hi' }, { type: 'text-end', id: 't' }, end]));
      return [tierOf(all[0]), tierOf(all[1]), tierOf(all.at(-1)), target.response['service_tier']];
    };
    const stop: ChatStreamEvent = { type: 'finish', finishReason: 'stop' };
    assert.deepEqual(await run(undefined, undefined, stop), ['auto', 'auto', 'default', 'default']);
    assert.deepEqual(await run('flex', undefined, stop), ['flex', 'flex', 'default', 'default']);
    assert.deepEqual(await run('auto', 'priority', stop), ['auto', 'auto', 'priority', 'priority']);
    assert.deepEqual(await run(undefined, 'flex', { type: 'finish', finishReason: 'length' }), ['auto', 'auto', 'flex', 'flex']);
    assert.deepEqual(await run('priority', undefined, { type: 'error', error: new GatewayError('upstream', 'boom') }), ['priority', 'priority', 'default', 'default']);
  });

  it('encodes text byte for byte as api.openai.com streams it', async () => {
    const text = await encodeAll(encoder(), [
      { type: 'response-start' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'Hé ☃' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 3 }, output: { total: 2 }, source: 'upstream' } },
    ]);
    const lines = text.split('\n\n').slice(2, -2).join('\n\n');
    assert.equal(
      lines,
      [
        'event: response.output_item.added\ndata: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}}',
        'event: response.content_part.added\ndata: {"type":"response.content_part.added","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}',
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hé ☃","logprobs":[]}',
        'event: response.output_text.done\ndata: {"type":"response.output_text.done","sequence_number":5,"item_id":"msg_1","output_index":0,"content_index":0,"text":"Hé ☃","logprobs":[]}',
        'event: response.content_part.done\ndata: {"type":"response.content_part.done","sequence_number":6,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Hé ☃"}}',
        'event: response.output_item.done\ndata: {"type":"response.output_item.done","sequence_number":7,"output_index":0,"item":{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hé ☃"}],"role":"assistant"}}',
      ].join('\n\n'),
    );
    const all = frames(text);
    assert.deepEqual(
      all.map((frame) => frame.event),
      ['response.created', 'response.in_progress', ...all.slice(2, -1).map((frame) => frame.event), 'response.completed'],
    );
    const completed = all.at(-1)?.data['response'] as Record<string, unknown>;
    assert.equal(completed['status'], 'completed');
    assert.deepEqual(completed['usage'], { input_tokens: 3, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 5 });
    assert.equal((completed['output'] as unknown[]).length, 1);
  });

  it('gives reasoning as reasoning_text content, or as a summary when one was asked for', async () => {
    const events: ChatStreamEvent[] = [{ type: 'reasoning-start', id: 'r' }, { type: 'reasoning-delta', id: 'r', text: 'Think.' }, { type: 'reasoning-end', id: 'r' }, { type: 'finish', finishReason: 'stop' }];
    const raw = frames(await encodeAll(encoder(false), events)).map((frame) => frame.event);
    assert.deepEqual(raw.slice(2, -1), [
      'response.output_item.added',
      'response.content_part.added',
      'response.reasoning_text.delta',
      'response.reasoning_text.done',
      'response.content_part.done',
      'response.output_item.done',
    ]);
    const summary = frames(await encodeAll(encoder(true), events));
    assert.deepEqual(
      summary.slice(2, -1).map((frame) => frame.event),
      [
        'response.output_item.added',
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
        'response.output_item.done',
      ],
    );
    assert.deepEqual(summary.at(-2)?.data['item'], { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think.' }] });
  });

  it('closes text when a tool call starts and numbers output items in order', async () => {
    const all = frames(
      await encodeAll(encoder(), [
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', text: 'Let me check.' },
        { type: 'text-end', id: 't' },
        { type: 'tool-call-start', id: 'c', toolCallId: 'call_1', name: 'shell' },
        { type: 'tool-call-delta', id: 'c', argumentsDelta: '{"command":' },
        { type: 'tool-call-delta', id: 'c', argumentsDelta: '["ls"]}' },
        { type: 'tool-call-end', id: 'c' },
        { type: 'finish', finishReason: 'tool-calls' },
      ]),
    );
    const done = all.filter((frame) => frame.event === 'response.output_item.done').map((frame) => [frame.data['output_index'], (frame.data['item'] as { type: string }).type]);
    assert.deepEqual(done, [
      [0, 'message'],
      [1, 'function_call'],
    ]);
    const args = all.find((frame) => frame.event === 'response.function_call_arguments.done');
    assert.deepEqual(args?.data, { type: 'response.function_call_arguments.done', sequence_number: args?.data['sequence_number'], item_id: 'fc_2', output_index: 1, name: 'shell', arguments: '{"command":["ls"]}' });
  });

  it('ends with response.incomplete on a length stop, marking the cut item incomplete', async () => {
    const target = encoder();
    const all = frames(await encodeAll(target, [{ type: 'text-delta', id: 't', text: 'Once' }, { type: 'finish', finishReason: 'length' }]));
    assert.equal(all.at(-1)?.event, 'response.incomplete');
    assert.deepEqual(target.response['incomplete_details'], { reason: 'max_output_tokens' });
    assert.equal((target.response['output'] as { status: string }[])[0]?.status, 'incomplete');
  });

  it('ends with response.failed carrying the error when the upstream fails or just stops', async () => {
    const failed = frames(await encodeAll(encoder(), [{ type: 'text-delta', id: 't', text: 'Once' }, { type: 'error', error: new GatewayError('rate_limit', 'slow down') }]));
    assert.equal(failed.at(-1)?.event, 'response.failed');
    const response = failed.at(-1)?.data['response'] as Record<string, unknown>;
    assert.deepEqual(response['error'], { code: 'rate_limit_exceeded', message: 'slow down' });
    assert.equal((response['output'] as { status: string }[])[0]?.status, 'incomplete');

    const stopped = frames(await encodeAll(encoder(), [{ type: 'text-delta', id: 't', text: 'Once' }]));
    assert.equal(stopped.at(-1)?.event, 'response.failed');
  });

  it('sends nothing after the terminal event', async () => {
    const target = encoder();
    target.encode({ type: 'finish', finishReason: 'stop' });
    assert.equal(target.encode({ type: 'text-delta', id: 't', text: 'late' }), '');
    assert.equal(target.encodeBatch([{ type: 'text-delta', id: 't', text: 'late' }]), '');
  });

  it('holds the batch with the terminal event whole until the response is stored, then writes it', async () => {
    const steps: string[] = [];
    let target: ResponsesStreamEncoder | undefined;
    let release: () => void = () => undefined;
    const stored = (): Promise<void> => {
      steps.push(`storing ${String(target?.response['status'])}`);
      return new Promise((resolve) => (release = resolve));
    };
    target = encoder(false, stored);
    const events: ChatStreamEvent[] = [{ type: 'text-delta', id: 't', text: 'Once' }, { type: 'text-delta', id: 't', text: ' more' }, { type: 'finish', finishReason: 'stop' }];
    const first = target.encodeBatch(events.slice(0, 1));
    assert.equal(target.encodeBatch(events.slice(1)), '', 'nothing of the last batch leaves before the response is stored');
    assert.deepEqual(steps, ['storing completed']);
    const ending = target.ending();
    void ending?.then(() => steps.push('written'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(steps, ['storing completed']);
    release();
    const last = await ending;
    assert.deepEqual(steps, ['storing completed', 'written']);
    assert.match(last ?? '', /^event: response\.output_text\.delta\n[\s\S]*"delta":" more"[\s\S]*event: response\.completed\n/);
    assert.equal(first + last, await encodeAll(encoder(), events));
    const writes = await readChatStreamBody(encoder(false, async () => undefined), [events.slice(0, 1), events.slice(1)]);
    assert.deepEqual(writes, [first, last]);
  });
});
