import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { encodeEvents, readChatStreamBody } from '../../../test-support/read-chat-stream-body.ts';
import { ANTHROPIC_PING, AnthropicStreamEncoder } from './anthropic-stream-encoder.ts';

const sse = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

const newEncoder = (): AnthropicStreamEncoder => new AnthropicStreamEncoder({ model: 'claude-sonnet-4-6', countInput: () => ({ total: 99 }) });

function encodeAll(events: ChatStreamEvent[]): string {
  const encoder = newEncoder();
  return events.map((event) => encoder.encode(event)).join('');
}

describe('AnthropicStreamEncoder', () => {
  it("says the tier the upstream named in message_start's usage, in Anthropic's words, where Anthropic says it", () => {
    const start = (serviceTier?: string): string => {
      const text = encodeAll([
        serviceTier === undefined ? { type: 'response-start', id: 'msg_01tier' } : { type: 'response-start', id: 'msg_01tier', serviceTier },
        { type: 'input-usage', input: { total: 5 } },
        { type: 'text-delta', id: 't', text: 'Hi' },
        { type: 'finish', finishReason: 'stop', usage: { input: { total: 5 }, output: { total: 1 }, source: 'upstream' } },
      ]);
      return text.slice(0, text.indexOf('\n\n') + 2);
    };
    const messageStart = (usage: Record<string, unknown>): string =>
      sse('message_start', { type: 'message_start', message: { id: 'msg_01tier', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage } });
    const counts = { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
    assert.equal(start('standard'), messageStart({ ...counts, service_tier: 'standard' }));
    assert.equal(start('priority'), messageStart({ ...counts, service_tier: 'priority' }));
    assert.equal(start('default'), messageStart({ ...counts, service_tier: 'standard' }));
    assert.equal(start('flex'), messageStart(counts));
    assert.equal(start(), messageStart(counts));
  });

  it('replays a text\'s citations that were not streamed as they came, and names the stop sequence that matched', () => {
    const citation = { type: 'char_location', cited_text: 'Paris', document_index: 0, start_char_index: 0, end_char_index: 5 };
    const text = encodeAll([
      { type: 'response-start', id: 'msg_01cite' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'In Paris' },
      { type: 'text-end', id: 't', metadata: { provider: 'anthropic', citations: [citation] } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', stopSequence: '\n\nHuman:', usage: { input: { total: 10 }, output: { total: 2 }, source: 'upstream' } },
    ]);
    const body = text.slice(text.indexOf('event: content_block_start'));
    assert.equal(
      body,
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'In Paris' } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation } }) +
        sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
        sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: '\n\nHuman:' }, usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 2 } }) +
        sse('message_stop', { type: 'message_stop' }),
    );
  });

  it('writes the exact sequence: message_start, blocks one after another, message_delta, message_stop', () => {
    const text = encodeAll([
      { type: 'response-start', id: 'msg_01abc' },
      { type: 'input-usage', input: { total: 120, cacheRead: 100, cacheWrite: 0 } },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', text: 'Think.' },
      { type: 'reasoning-end', id: 'r', metadata: { provider: 'anthropic', signature: 'sig==' } },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'Hé' },
      { type: 'text-end', id: 't' },
      { type: 'tool-call-start', id: 'c', toolCallId: 'toolu_1', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'c', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', id: 'c', argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', id: 'c' },
      { type: 'finish', finishReason: 'tool-calls', usage: { input: { total: 120, cacheRead: 100, cacheWrite: 0 }, output: { total: 7 }, source: 'upstream' } },
    ]);
    const usage = { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 };
    assert.equal(
      text,
      sse('message_start', { type: 'message_start', message: { id: 'msg_01abc', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 0 } } }) +
        sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Think.' } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig==' } }) +
        sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
        sse('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hé' } }) +
        sse('content_block_stop', { type: 'content_block_stop', index: 1 }) +
        sse('content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }) +
        sse('content_block_stop', { type: 'content_block_stop', index: 2 }) +
        sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { ...usage, output_tokens: 7 } }) +
        sse('message_stop', { type: 'message_stop' }),
    );
  });

  it('counts the prompt for message_start when the upstream has not said, and names the id after the upstream', () => {
    const text = encodeAll([{ type: 'response-start', id: 'chatcmpl-9' }, { type: 'text-start', id: '0' }, { type: 'text-delta', id: '0', text: 'x' }]);
    assert.match(text, /^event: message_start\ndata: \{"type":"message_start","message":\{"id":"msg_chatcmpl-9",.*"usage":\{"input_tokens":99,/);
  });

  it('never puts a thinking delta inside a text block: a block that starts closes the open one', () => {
    const text = encodeAll([
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'a' },
      { type: 'reasoning-delta', id: 'r', text: 'b' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    const types = [...text.matchAll(/"type":"(content_block_\w+|\w+_delta)","index":(\d)/g)].map((match) => `${match[1]}@${match[2]}`);
    assert.deepEqual(types, ['content_block_start@0', 'content_block_delta@0', 'content_block_stop@0', 'content_block_start@1', 'content_block_delta@1', 'content_block_stop@1']);
    assert.match(text, /"index":1,"content_block":\{"type":"thinking"/);
  });

  it('sends redacted thinking whole, and marks another provider\'s signature as llmux\'s', () => {
    const text = encodeAll([
      { type: 'reasoning-start', id: 'a', redacted: true },
      { type: 'reasoning-end', id: 'a', metadata: { provider: 'anthropic', encrypted: 'EnCrYpTeD' } },
      { type: 'reasoning-start', id: 'b' },
      { type: 'reasoning-delta', id: 'b', text: 'Gemini thought.' },
      { type: 'reasoning-end', id: 'b', metadata: { provider: 'gemini', signature: 'g-sig' } },
      { type: 'finish', finishReason: 'stop' },
    ]);
    assert.match(text, /"index":0,"content_block":\{"type":"redacted_thinking","data":"EnCrYpTeD"\}\}\n\nevent: content_block_stop\ndata: \{"type":"content_block_stop","index":0\}/);
    assert.match(text, /"signature_delta","signature":"llmux\.gemini\.g-sig"/);
  });

  it('maps stop reasons: length → max_tokens, content filter → refusal, an Anthropic word as it is', () => {
    const reason = (event: ChatStreamEvent) => /"stop_reason":"(\w+)"/.exec(encodeAll([event]))?.[1];
    assert.equal(reason({ type: 'finish', finishReason: 'length' }), 'max_tokens');
    assert.equal(reason({ type: 'finish', finishReason: 'content-filter' }), 'refusal');
    assert.equal(reason({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop_sequence' }), 'stop_sequence');
    assert.equal(reason({ type: 'finish', finishReason: 'other', rawFinishReason: 'pause_turn' }), 'pause_turn');
    assert.equal(reason({ type: 'finish', finishReason: 'stop' }), 'end_turn');
  });

  it('ends a failed stream with an error event in Anthropic\'s shape, never a silent message_stop', async () => {
    const failed = encodeAll([{ type: 'text-delta', id: '0', text: 'Once' }, { type: 'error', error: new GatewayError('overloaded', 'Overloaded') }]);
    assert.ok(failed.endsWith(sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })));
    assert.doesNotMatch(failed, /message_stop/);
    const cut = await encodeEvents(newEncoder(), [{ type: 'text-delta', id: '0', text: 'Once' }]);
    assert.match(cut, /event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"the upstream stream ended before the response was complete"\}\}\n\n$/);
  });
});

describe('AnthropicStreamEncoder in a stream body', () => {
  it('writes one string per batch, the same bytes as event by event, and pings as Anthropic does', async () => {
    const events: ChatStreamEvent[] = [
      { type: 'response-start', id: 'msg_1' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Hello' },
      { type: 'text-delta', id: '0', text: ' world' },
      { type: 'finish', finishReason: 'stop' },
    ];
    const writes = await readChatStreamBody(newEncoder(), [events.slice(0, 3), events.slice(3)]);
    assert.equal(writes.length, 2);
    assert.equal(writes.join(''), encodeAll(events));
    const pinging = newEncoder();
    const opening = pinging.keepAlive();
    assert.ok(opening.startsWith('event: message_start\n') && opening.endsWith(ANTHROPIC_PING), 'a ping before anything opens the message');
    assert.equal(pinging.keepAlive(), ANTHROPIC_PING);
    pinging.encodeBatch([{ type: 'finish', finishReason: 'stop' }]);
    assert.equal(pinging.keepAlive(), '', 'no ping after the end');
  });
});
