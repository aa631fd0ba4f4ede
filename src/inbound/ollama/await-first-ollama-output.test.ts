import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { awaitFirstOllamaOutput } from './await-first-ollama-output.ts';

function source(events: ChatStreamEvent[], pulled: ChatStreamEvent[] = [], onReturn: () => void = () => undefined): AsyncIterable<ChatStreamEvent> {
  return {
    [Symbol.asyncIterator]: () => {
      let position = 0;
      return {
        next: async () => {
          const event = events[position++];
          if (event === undefined) return { done: true, value: undefined };
          pulled.push(event);
          return { done: false, value: event };
        },
        return: async () => {
          onReturn();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

async function drain(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const seen: ChatStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('awaitFirstOllamaOutput', () => {
  it('holds events until the first visible one, then replays everything in order', async () => {
    const events: ChatStreamEvent[] = [
      { type: 'response-start' },
      { type: 'text-start' },
      { type: 'text-delta', text: '' },
      { type: 'text-delta', text: 'Hi' },
      { type: 'text-delta', text: ' there' },
      { type: 'finish', finishReason: 'stop' },
    ];
    const pulled: ChatStreamEvent[] = [];
    const held = await awaitFirstOllamaOutput(source(events, pulled));
    assert.equal(pulled.length, 4, 'read up to the first text, no further');
    assert.deepEqual(await drain(held), events);
  });

  it('throws an error that comes before any visible output', async () => {
    const failure = new GatewayError('upstream', 'reset');
    await assert.rejects(awaitFirstOllamaOutput(source([{ type: 'response-start' }, { type: 'text-delta', text: '' }, { type: 'error', error: failure }])), failure);
    await assert.rejects(awaitFirstOllamaOutput(source([{ type: 'response-start' }])), /ended before the response was complete/);
  });

  it('counts thinking, a whole tool call and the finish as output, but not a tool call still arriving', async () => {
    for (const visible of [
      { type: 'reasoning-delta', text: 'hm' },
      { type: 'tool-call-end', index: 0 },
      { type: 'file', url: 'http://127.0.0.1/x.png' },
      { type: 'finish', finishReason: 'stop' },
    ] as ChatStreamEvent[]) {
      const pulled: ChatStreamEvent[] = [];
      await awaitFirstOllamaOutput(source([{ type: 'tool-call-start', index: 0, id: 'a', name: 'f' }, { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' }, visible, { type: 'finish', finishReason: 'stop' }], pulled));
      assert.equal(pulled.length, 3, visible.type);
    }
  });

  it('passes an early stop on to the source, so the upstream call ends', async () => {
    let returned = false;
    const held = await awaitFirstOllamaOutput(
      source(
        [
          { type: 'text-delta', text: 'a' },
          { type: 'text-delta', text: 'b' },
        ],
        [],
        () => {
          returned = true;
        },
      ),
    );
    for await (const event of held) {
      assert.equal(event.type, 'text-delta');
      break;
    }
    assert.equal(returned, true);
  });
});
