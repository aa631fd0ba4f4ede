import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import { chatStreamBody, type ChatBatchSource } from './chat-stream-body.ts';
import type { ChatStreamEncoder } from './chat-stream-encoder.ts';

/** Writes each event as its type, `|` after each batch's text; pings with `.`; ends on finish or error. */
class TypeEncoder implements ChatStreamEncoder {
  isEnded = false;
  encodeBatch(batch: readonly ChatStreamEvent[]): string {
    let text = '';
    for (const event of batch) {
      if (this.isEnded) break;
      if (event.type === 'text-delta' && event.text === 'boom') throw new GatewayError('invalid_request', 'not JSON');
      text += event.type === 'error' ? `error(${event.error.message})` : event.type;
      if (event.type === 'finish' || event.type === 'error') this.isEnded = true;
    }
    return text;
  }
  keepAlive(): string {
    return this.isEnded ? '' : '.';
  }
}

function source(batches: ChatStreamEvent[][]): ChatBatchSource & { closed: number } {
  let next = 0;
  return {
    closed: 0,
    next: async () => batches[next++],
    async close() {
      this.closed += 1;
    },
  };
}

async function readAll(body: ReturnType<typeof chatStreamBody>): Promise<string[]> {
  const reads: string[] = [];
  for (let text = await body.read(); text !== undefined; text = await body.read()) reads.push(text);
  await body.close();
  return reads;
}

const finish: ChatStreamEvent = { type: 'finish', finishReason: 'stop' };
const text: ChatStreamEvent = { type: 'text-delta', id: 't', text: 'x' };

describe('chatStreamBody', () => {
  it('reads one text per batch and ends after the terminal event, closing its source', async () => {
    const routed = source([[text, text], [text, finish]]);
    const body = chatStreamBody(routed, new TypeEncoder(), 1000);
    assert.equal(body.keepAlive?.intervalMs, 1000);
    assert.deepEqual(await readAll(body), ['text-deltatext-delta', 'text-deltafinish']);
    assert.equal(routed.closed, 1);
  });

  it('ends a source that stops without a terminal event, and an encoder that fails on a batch, with the error', async () => {
    assert.deepEqual(await readAll(chatStreamBody(source([[text]]), new TypeEncoder())), ['text-delta', 'error(the upstream stream ended before the response was complete)']);
    assert.deepEqual(await readAll(chatStreamBody(source([[text], [{ ...text, text: 'boom' }], [finish]]), new TypeEncoder())), ['text-delta', 'error(not JSON)']);
  });

  it('opens at once with the keep-alive while routing still waits, then streams what routing found', async () => {
    let found: (routed: ChatBatchSource) => void = () => undefined;
    const routing = new Promise<ChatBatchSource>((resolve) => (found = resolve));
    const body = chatStreamBody(routing, new TypeEncoder(), 5);
    assert.equal(await body.read(), '.');
    const next = body.read();
    const routed = source([[text, finish]]);
    found(routed);
    assert.equal(await next, 'text-deltafinish');
    assert.equal(await body.read(), undefined);
    await body.close();
    assert.equal(routed.closed, 1);
  });

  it('ends with the error when routing fails after the stream opened', async () => {
    const body = chatStreamBody(Promise.reject(new GatewayError('overloaded', 'every target failed')), new TypeEncoder(), 5);
    assert.deepEqual(await readAll(body), ['.', 'error(every target failed)']);
  });

  it('closes the stream routing finds after the client went away', async () => {
    let found: (routed: ChatBatchSource) => void = () => undefined;
    const body = chatStreamBody(new Promise<ChatBatchSource>((resolve) => (found = resolve)), new TypeEncoder(), 5);
    await body.read();
    const closing = body.close();
    const routed = source([[text, finish]]);
    found(routed);
    await closing;
    assert.equal(routed.closed, 1);
  });

  it('says the text it gave is the last once the terminal event is encoded, or once the encoder\'s ending is read', async () => {
    const plain = chatStreamBody(source([[text], [text, finish]]), new TypeEncoder());
    const seen: [string | undefined, boolean | undefined][] = [];
    for (let read = 0; read < 3; read++) seen.push([await plain.read(), plain.ended]);
    assert.deepEqual(seen, [['text-delta', false], ['text-deltafinish', true], [undefined, true]]);
    const failing = chatStreamBody(source([[text]]), new TypeEncoder());
    assert.deepEqual([await failing.read(), failing.ended], ['text-delta', false]);
    assert.deepEqual([await failing.read(), failing.ended], ['error(the upstream stream ended before the response was complete)', true]);
    const encoder = new TypeEncoder();
    let endings = 0;
    const withEnding: ChatStreamEncoder = {
      encodeBatch: (batch) => encoder.encodeBatch(batch),
      get isEnded() {
        return encoder.isEnded;
      },
      ending: () => (endings++, Promise.resolve('stored')),
    };
    const held = chatStreamBody(source([[finish]]), withEnding);
    assert.deepEqual([await held.read(), held.ended], ['finish', false]);
    assert.deepEqual([await held.read(), held.ended, endings], ['stored', true, 1]);
  });

  it('writes what the encoder still has once the terminal batch is out', async () => {
    const encoder = new TypeEncoder();
    const withEnding: ChatStreamEncoder = {
      encodeBatch: (batch) => encoder.encodeBatch(batch),
      get isEnded() {
        return encoder.isEnded;
      },
      ending: () => Promise.resolve('stored'),
    };
    assert.deepEqual(await readAll(chatStreamBody(source([[text], [finish]]), withEnding)), ['text-delta', 'finish', 'stored']);
  });
});
