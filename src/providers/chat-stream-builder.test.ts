import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../canonical/gateway-error.ts';
import { ChatStreamBuilder } from './chat-stream-builder.ts';

describe('ChatStreamBuilder', () => {
  it('gives every block an id and closes one block before the next starts', () => {
    const builder = new ChatStreamBuilder();
    const events = [
      ...builder.reasoning('think'),
      ...builder.reasoning(' more'),
      ...builder.text('Hi'),
      ...builder.toolCallStart('call_1', 'get_weather'),
      ...builder.toolCallDelta('{"city":'),
      ...builder.toolCallDelta('"Oslo"}'),
      ...builder.toolCallStart('call_2', 'get_time'),
      ...builder.toolCallDelta('{}'),
      ...builder.text('Done'),
      ...builder.finish('tool-calls', { raw: 'tool_calls' }),
    ];
    assert.deepEqual(events, [
      { type: 'reasoning-start', id: '0' },
      { type: 'reasoning-delta', id: '0', text: 'think' },
      { type: 'reasoning-delta', id: '0', text: ' more' },
      { type: 'reasoning-end', id: '0' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', text: 'Hi' },
      { type: 'text-end', id: '1' },
      { type: 'tool-call-start', id: '2', toolCallId: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', id: '2', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', id: '2', argumentsDelta: '"Oslo"}' },
      { type: 'tool-call-end', id: '2' },
      { type: 'tool-call-start', id: '3', toolCallId: 'call_2', name: 'get_time' },
      { type: 'tool-call-delta', id: '3', argumentsDelta: '{}' },
      { type: 'tool-call-end', id: '3' },
      { type: 'text-start', id: '4' },
      { type: 'text-delta', id: '4', text: 'Done' },
      { type: 'text-end', id: '4' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ]);
    assert.equal(builder.isEnded, true);
  });

  it('puts provider metadata on the block end, and redacted reasoning as a block of its own', () => {
    const builder = new ChatStreamBuilder();
    const events = [
      ...builder.reasoning('plan'),
      ...(builder.attachMetadata('reasoning', { provider: 'anthropic', signature: 'sig-1' }) ? [] : [{ type: 'text-start' as const, id: 'unexpected' }]),
      ...builder.redactedReasoning({ provider: 'anthropic', encrypted: 'opaque' }),
      ...builder.toolCallStart('call_1', 'f', { provider: 'gemini', signature: 'ts' }),
      ...builder.finish('tool-calls'),
    ];
    assert.deepEqual(events, [
      { type: 'reasoning-start', id: '0' },
      { type: 'reasoning-delta', id: '0', text: 'plan' },
      { type: 'reasoning-end', id: '0', metadata: { provider: 'anthropic', signature: 'sig-1' } },
      { type: 'reasoning-start', id: '1', redacted: true },
      { type: 'reasoning-end', id: '1', metadata: { provider: 'anthropic', encrypted: 'opaque' } },
      { type: 'tool-call-start', id: '2', toolCallId: 'call_1', name: 'f', metadata: { provider: 'gemini', signature: 'ts' } },
      { type: 'tool-call-end', id: '2' },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    assert.equal(builder.attachMetadata('text', { provider: 'x' }), false);
  });

  it('declares degraded fields on the response start and carries logprobs and early usage', () => {
    const builder = new ChatStreamBuilder();
    assert.deepEqual(builder.start({ id: 'r', degraded: [{ field: 'top_k', reason: 'not taken' }] }), [
      { type: 'response-start', id: 'r', degraded: [{ field: 'top_k', reason: 'not taken' }] },
    ]);
    assert.deepEqual(builder.start({}), [{ type: 'response-start' }]);
    assert.deepEqual(builder.inputUsage({ total: 12, cacheRead: 4 }), [{ type: 'input-usage', input: { total: 12, cacheRead: 4 } }]);
    assert.deepEqual(builder.text('a', [{ token: 'a', logprob: -0.5 }]), [
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'a', logprobs: [{ token: 'a', logprob: -0.5 }] },
    ]);
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
    assert.deepEqual(builder.toolCallDelta('x'), []);
    assert.equal(builder.hasOutput, false);
  });
});
