import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { responseReasoning, responseText } from '../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import { collectChatResponse } from './collect-chat-response.ts';

async function* from(events: ChatStreamEvent[]): AsyncGenerator<ChatStreamEvent> {
  yield* events;
}

describe('collectChatResponse', () => {
  it('keeps each block as one part, in order, with its metadata', async () => {
    const response = await collectChatResponse(
      from([
        { type: 'response-start', id: 'r1', model: 'm', degraded: [{ field: 'top_k', reason: 'x' }] },
        { type: 'reasoning-start', id: '0' },
        { type: 'reasoning-delta', id: '0', text: 'a' },
        { type: 'reasoning-delta', id: '0', text: 'b' },
        { type: 'reasoning-end', id: '0', metadata: { provider: 'anthropic', signature: 's1' } },
        { type: 'text-start', id: '1' },
        { type: 'text-delta', id: '1', text: 'Hel', logprobs: [{ token: 'Hel', logprob: -1 }] },
        { type: 'text-delta', id: '1', text: 'lo' },
        { type: 'text-end', id: '1' },
        { type: 'reasoning-start', id: '2' },
        { type: 'reasoning-delta', id: '2', text: 'c' },
        { type: 'reasoning-end', id: '2', metadata: { provider: 'anthropic', signature: 's2' } },
        { type: 'tool-call-start', id: '3', toolCallId: 'c1', name: 'one' },
        { type: 'tool-call-delta', id: '3', argumentsDelta: '{}' },
        { type: 'tool-call-end', id: '3' },
        { type: 'tool-call-start', id: '4', toolCallId: 'c2', name: 'two', metadata: { provider: 'gemini', signature: 'g' } },
        { type: 'tool-call-delta', id: '4', argumentsDelta: '{"x":1}' },
        { type: 'tool-call-end', id: '4' },
        { type: 'file', url: 'https://x/img.png', mediaType: 'image/png' },
        { type: 'finish', finishReason: 'tool-calls', usage: { input: { total: 1 }, output: { total: 2 }, source: 'upstream' } },
      ]),
    );
    assert.deepEqual(response.parts, [
      { type: 'reasoning', text: 'ab', metadata: { provider: 'anthropic', signature: 's1' } },
      { type: 'text', text: 'Hello', logprobs: [{ token: 'Hel', logprob: -1 }] },
      { type: 'reasoning', text: 'c', metadata: { provider: 'anthropic', signature: 's2' } },
      { type: 'tool-call', id: 'c1', name: 'one', arguments: '{}' },
      { type: 'tool-call', id: 'c2', name: 'two', arguments: '{"x":1}', metadata: { provider: 'gemini', signature: 'g' } },
      { type: 'generated-file', url: 'https://x/img.png', mediaType: 'image/png' },
    ]);
    assert.equal(responseText(response), 'Hello');
    assert.equal(responseReasoning(response), 'abc');
    assert.equal(response.finishReason, 'tool-calls');
    assert.equal(response.id, 'r1');
    assert.deepEqual(response.degraded, [{ field: 'top_k', reason: 'x' }]);
  });

  it('throws the error event', async () => {
    await assert.rejects(collectChatResponse(from([{ type: 'text-delta', id: 't', text: 'x' }, { type: 'error', error: new GatewayError('payment_required', 'no points') }])), /no points/);
  });

  it('refuses a stream without finish', async () => {
    await assert.rejects(collectChatResponse(from([{ type: 'text-delta', id: 't', text: 'x' }])), /ended before the response was complete/);
  });
});
