import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../canonical/gateway-error.ts';
import { ChatStreamBuilder } from './chat-stream-builder.ts';

describe('ChatStreamBuilder', () => {
  it('opens and closes blocks as the kind of output changes', () => {
    const builder = new ChatStreamBuilder();
    const events = [
      ...builder.reasoning('think'),
      ...builder.reasoning(' more'),
      ...builder.text('Hi'),
      ...builder.toolCallStart(0, 'call_1', 'get_weather'),
      ...builder.toolCallDelta(0, '{"city":'),
      ...builder.toolCallDelta(0, '"Oslo"}'),
      ...builder.finish('tool-calls', { raw: 'tool_calls' }),
    ];
    assert.deepEqual(events, [
      { type: 'reasoning-start' },
      { type: 'reasoning-delta', text: 'think' },
      { type: 'reasoning-delta', text: ' more' },
      { type: 'reasoning-end' },
      { type: 'text-start' },
      { type: 'text-delta', text: 'Hi' },
      { type: 'text-end' },
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Oslo"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ]);
    assert.equal(builder.isEnded, true);
  });

  it('emits exactly one terminal event and nothing after it', () => {
    const builder = new ChatStreamBuilder();
    const first = builder.text('a');
    const error = builder.error(new GatewayError('upstream', 'boom'));
    assert.deepEqual(first.map((event) => event.type), ['text-start', 'text-delta']);
    assert.deepEqual(error.map((event) => event.type), ['text-end', 'error']);
    assert.deepEqual(builder.finish('stop'), []);
    assert.deepEqual(builder.text('late'), []);
  });

  it('ignores empty deltas and deltas for tool calls never started', () => {
    const builder = new ChatStreamBuilder();
    assert.deepEqual(builder.text(''), []);
    assert.deepEqual(builder.toolCallDelta(3, 'x'), []);
    assert.equal(builder.hasOutput, false);
  });
});
