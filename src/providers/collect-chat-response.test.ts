import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import { collectChatResponse } from './collect-chat-response.ts';

async function* from(events: ChatStreamEvent[]): AsyncGenerator<ChatStreamEvent> {
  yield* events;
}

describe('collectChatResponse', () => {
  it('joins text and reasoning and assembles tool calls in index order', async () => {
    const response = await collectChatResponse(
      from([
        { type: 'response-start', id: 'r1', model: 'm' },
        { type: 'reasoning-delta', text: 'a' },
        { type: 'reasoning-delta', text: 'b' },
        { type: 'text-delta', text: 'Hel' },
        { type: 'text-delta', text: 'lo' },
        { type: 'tool-call-start', index: 1, id: 'c2', name: 'two' },
        { type: 'tool-call-start', index: 0, id: 'c1', name: 'one' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{"x":1}' },
        { type: 'file', url: 'https://x/img.png', mediaType: 'image/png' },
        { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 1, outputTokens: 2, source: 'upstream' } },
      ]),
    );
    assert.equal(response.text, 'Hello');
    assert.equal(response.reasoning, 'ab');
    assert.deepEqual(response.toolCalls, [
      { id: 'c1', name: 'one', arguments: '{}' },
      { id: 'c2', name: 'two', arguments: '{"x":1}' },
    ]);
    assert.deepEqual(response.files, [{ url: 'https://x/img.png', mediaType: 'image/png' }]);
    assert.equal(response.finishReason, 'tool-calls');
    assert.equal(response.id, 'r1');
  });

  it('throws the error event', async () => {
    await assert.rejects(collectChatResponse(from([{ type: 'text-delta', text: 'x' }, { type: 'error', error: new GatewayError('payment_required', 'no points') }])), /no points/);
  });

  it('refuses a stream without finish', async () => {
    await assert.rejects(collectChatResponse(from([{ type: 'text-delta', text: 'x' }])), /ended before the response was complete/);
  });
});
