import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { streamUpstreamEvents } from './stream-upstream-events.ts';
import type { UpstreamBody } from './upstream-body.ts';

/** A body of text chunks that records what became of it. */
function recordingBody(chunks: string[]): UpstreamBody & { fate: string[] } {
  const fate: string[] = [];
  const encoded = chunks.map((chunk) => new TextEncoder().encode(chunk));
  async function* read(): AsyncGenerator<Uint8Array> {
    yield* encoded;
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

async function* lines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of chunks) yield decoder.decode(chunk);
}

describe('streamUpstreamEvents', () => {
  it('drains the body after the last event, in the background or before the stream ends', async () => {
    const background = recordingBody(['a', 'end']);
    const seen: string[] = [];
    for await (const event of streamUpstreamEvents(background, lines, { isEnd: (event) => event === 'end', drainLimitBytes: 10 })) seen.push(event);
    assert.deepEqual(seen, ['a', 'end']);
    assert.deepEqual(background.fate, ['drain 10']);
    const waited = recordingBody(['end']);
    for await (const _event of streamUpstreamEvents(waited, lines, { isEnd: (event) => event === 'end', drainLimitBytes: 5, drainWaitMs: 1000 })) void _event;
    assert.deepEqual(waited.fate, ['drain 5 with a deadline']);
  });

  it('destroys the body when the reader stops early or the body ends without the last event', async () => {
    const abandoned = recordingBody(['a', 'b', 'end']);
    for await (const event of streamUpstreamEvents(abandoned, lines, { isEnd: (event) => event === 'end', drainLimitBytes: 10 })) {
      if (event === 'a') break;
    }
    assert.deepEqual(abandoned.fate, ['destroy']);
    const cut = recordingBody(['a']);
    for await (const _event of streamUpstreamEvents(cut, lines, { isEnd: (event) => event === 'end', drainLimitBytes: 10 })) void _event;
    assert.deepEqual(cut.fate, ['destroy']);
  });
});
