import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchedChatStream } from '../../canonical/chat-event-batches.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { splitPoeThinkingEvents } from './split-poe-thinking-events.ts';

const UPSTREAM: ChatStreamEvent[][] = [
  [{ type: 'response-start', id: 'r1', model: 'Claude-Sonnet-4.5' }, { type: 'text-start', id: '0' }, { type: 'text-delta', id: '0', text: '*Thinking...*\n\n> The user' }],
  [{ type: 'text-delta', id: '0', text: ' wants a haiku.\n\n' }],
  [{ type: 'text-delta', id: '0', text: 'Autumn moonlight' }, { type: 'text-end', id: '0' }, { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' }],
];

describe('splitPoeThinkingEvents', () => {
  it('splits the thinking progress from the answer batch by batch, as it does event by event', async () => {
    const batches: ChatStreamEvent[][] = [];
    for await (const batch of splitPoeThinkingEvents(batchedChatStream(async function* () {
      yield* UPSTREAM;
    })).batches()) batches.push(batch);
    assert.deepEqual(batches, [
      [{ type: 'response-start', id: 'r1', model: 'Claude-Sonnet-4.5' }, { type: 'reasoning-start', id: '0' }, { type: 'reasoning-delta', id: '0', text: '*Thinking...*\n' }, { type: 'reasoning-delta', id: '0', text: 'The user' }],
      [{ type: 'reasoning-delta', id: '0', text: ' wants a haiku.\n' }],
      [{ type: 'reasoning-end', id: '0' }, { type: 'text-start', id: '1' }, { type: 'text-delta', id: '1', text: 'Autumn moonlight' }, { type: 'text-end', id: '1' }, { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' }],
    ]);
    const single: ChatStreamEvent[] = [];
    for await (const event of splitPoeThinkingEvents((async function* () {
      yield* UPSTREAM.flat();
    })())) single.push(event);
    assert.deepEqual(single, batches.flat());
  });
});
