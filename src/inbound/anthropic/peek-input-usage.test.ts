import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { peekInputUsage } from './peek-input-usage.ts';

async function* from(batches: (readonly ChatStreamEvent[])[]): AsyncGenerator<readonly ChatStreamEvent[]> {
  yield* batches;
}
async function collect(batches: AsyncIterable<readonly ChatStreamEvent[]>): Promise<(readonly ChatStreamEvent[])[]> {
  const out: (readonly ChatStreamEvent[])[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

const start: ChatStreamEvent = { type: 'response-start' };
const usage: ChatStreamEvent = { type: 'input-usage', input: { total: 12 } };
const text: ChatStreamEvent = { type: 'text-start', id: 't0' };
const finish: ChatStreamEvent = { type: 'finish', finishReason: 'stop' };

describe('peekInputUsage', () => {
  it('finds usage reported before the first output, across one-event batches, and gives every batch back', async () => {
    const batches = [[start], [usage], [text], [finish]];
    const peeked = await peekInputUsage(from(batches));
    assert.equal(peeked.known, true);
    assert.deepEqual(await collect(peeked.batches), batches);
  });

  it('says unknown when output comes first (usage only at the end) or the stream ends', async () => {
    const late = [[start, text], [finish]];
    const peeked = await peekInputUsage(from(late));
    assert.equal(peeked.known, false);
    assert.deepEqual(await collect(peeked.batches), late);
    const usageAfterText = await peekInputUsage(from([[start, text, usage]]));
    assert.equal(usageAfterText.known, false);
    assert.equal((await peekInputUsage(from([[start]]))).known, false);
  });
});
