import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ChatStreamDecoder } from './chat-stream-decoder.ts';
import { streamUpstreamBatches } from './stream-upstream-batches.ts';
import type { UpstreamBody } from './upstream-body.ts';

/** A body of text chunks that records what became of it; `failWith` breaks it after the chunks. */
function recordingBody(chunks: string[], failWith?: Error): UpstreamBody & { fate: string[] } {
  const fate: string[] = [];
  async function* read(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
    if (failWith !== undefined) throw failWith;
  }
  return {
    fate,
    [Symbol.asyncIterator]: () => read(),
    chunks: () => read(),
    text: async () => chunks.join(''),
    json: async () => JSON.parse(chunks.join('')) as unknown,
    bytes: async () => new TextEncoder().encode(chunks.join('')),
    drain: async (options) => {
      fate.push(`drain ${options?.limitBytes ?? 'default'}${options?.signal === undefined ? '' : ' with a deadline'}`);
    },
    destroy: () => {
      fate.push('destroy');
    },
  };
}

/** Each `;`-terminated word is a text delta; `.` finishes; a chunk may hold several or half of one. */
class WordDecoder implements ChatStreamDecoder {
  private pending = '';
  private ended = false;
  get isEnded(): boolean {
    return this.ended;
  }
  push(chunk: Uint8Array): ChatStreamEvent[] {
    const events: ChatStreamEvent[] = [];
    for (const character of new TextDecoder().decode(chunk)) {
      if (this.ended) break;
      if (character === ';') {
        events.push({ type: 'text-delta', id: '0', text: this.pending });
        this.pending = '';
      } else if (character === '.') {
        this.ended = true;
        events.push({ type: 'finish', finishReason: 'stop' });
      } else this.pending += character;
    }
    return events;
  }
  end(): ChatStreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    return [{ type: 'error', error: new GatewayError('upstream', 'cut off') }];
  }
  fail(error: unknown): ChatStreamEvent[] {
    this.ended = true;
    return [{ type: 'error', error: new GatewayError('upstream', String(error)) }];
  }
}

async function read(body: UpstreamBody): Promise<string[][]> {
  const batches: string[][] = [];
  const stream = streamUpstreamBatches(body, new WordDecoder(), { isEnd: (event) => event.type === 'finish', drainLimitBytes: 10 });
  for await (const batch of stream.batches()) batches.push(batch.map((event) => (event.type === 'text-delta' ? event.text : event.type)));
  return batches;
}

describe('streamUpstreamBatches', () => {
  it('gives one batch per network chunk that completed events, and drains after the finish', async () => {
    const body = recordingBody(['a;b;c', 'd;', 'e', ';.', 'ignored;']);
    assert.deepEqual(await read(body), [['a', 'b'], ['cd'], ['e', 'finish']]);
    assert.deepEqual(body.fate, ['drain 10']);
  });

  it('waits for the drain, with a deadline, when asked to', async () => {
    const body = recordingBody(['a;.']);
    const batches: ChatStreamEvent[][] = [];
    for await (const batch of streamUpstreamBatches(body, new WordDecoder(), { isEnd: (event) => event.type === 'finish', drainLimitBytes: 5, drainWaitMs: 1000 }).batches()) batches.push(batch);
    assert.equal(batches.length, 1);
    assert.deepEqual(body.fate, ['drain 5 with a deadline']);
  });

  it('ends with the decoder’s verdict when the body ends or breaks, and closes the connection', async () => {
    const cut = recordingBody(['a;', 'b']);
    assert.deepEqual(await read(cut), [['a'], ['error']]);
    assert.deepEqual(cut.fate, ['destroy']);
    const broken = recordingBody(['a;'], new Error('reset'));
    assert.deepEqual(await read(broken), [['a'], ['error']]);
    assert.deepEqual(broken.fate, ['destroy']);
  });

  it('closes the connection when the reader stops early', async () => {
    const body = recordingBody(['a;', 'b;', '.']);
    for await (const _batch of streamUpstreamBatches(body, new WordDecoder(), { isEnd: (event) => event.type === 'finish', drainLimitBytes: 10 }).batches()) break;
    assert.deepEqual(body.fate, ['destroy']);
  });

  it('releases the connection once the batch with the last event is decoded, before anyone reads past it', async () => {
    const body = recordingBody(['a;', 'b;.', 'ignored;']);
    const iterator = streamUpstreamBatches(body, new WordDecoder(), { isEnd: (event) => event.type === 'finish', drainLimitBytes: 10 }).batches()[Symbol.asyncIterator]();
    await iterator.next();
    const last = await iterator.next();
    assert.deepEqual(last.done === true ? [] : last.value.map((event) => event.type), ['text-delta', 'finish']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(body.fate, ['drain 10']);
  });

  it('reads as single events too', async () => {
    const events: string[] = [];
    for await (const event of streamUpstreamBatches(recordingBody(['a;b;', '.']), new WordDecoder(), { isEnd: () => false, drainLimitBytes: 1 })) events.push(event.type);
    assert.deepEqual(events, ['text-delta', 'text-delta', 'finish']);
  });
});
