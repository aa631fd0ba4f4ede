import assert from 'node:assert/strict';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import type { ChatStreamDecoder } from '../src/providers/shared/chat-stream-decoder.ts';

/** What a decoder made of a body: the events of each pushed chunk (batches) and of the body's end. */
export interface DecodedBody {
  events: ChatStreamEvent[];
  /** How many pushed chunks gave events. */
  batches: number;
  /** Events that came only from `end()`. */
  fromEnd: ChatStreamEvent[];
}

/** Feeds the chunks as streamUpstreamBatches does: each until the stream ends, then the end of the body. */
export function decodeBody(decoder: ChatStreamDecoder, chunks: readonly Uint8Array[]): DecodedBody {
  const events: ChatStreamEvent[] = [];
  let batches = 0;
  for (const chunk of chunks) {
    const batch = decoder.push(chunk);
    if (batch.length > 0) batches++;
    events.push(...batch);
    if (decoder.isEnded) return { events, batches, fromEnd: [] };
  }
  const fromEnd = decoder.end();
  events.push(...fromEnd);
  return { events, batches, fromEnd };
}

/**
 * Decodes one body all at once, one byte at a time and cut in two at many bytes (mid-line, and
 * every cut mid-CRLF and mid-character), each with a new decoder, asserts that every way gives the same events,
 * and returns what the whole body gave. `normalize` evens out what is random per decoder (ids
 * llmux makes up).
 */
export function decodeEverySplit(
  newDecoder: () => ChatStreamDecoder,
  body: string,
  normalize: (events: ChatStreamEvent[]) => unknown = (events) => events,
): DecodedBody & { byByte: DecodedBody } {
  const bytes = Buffer.from(body, 'utf8');
  const whole = decodeBody(newDecoder(), [bytes]);
  const expected = normalize(whole.events);
  const byByte = decodeBody(newDecoder(), [...bytes].map((byte) => Uint8Array.of(byte)));
  assert.deepEqual(normalize(byByte.events), expected, 'one byte at a time');
  for (let cut = 1; cut < bytes.length; cut++) {
    // Every 7th byte, and every cut inside a character or between \r and \n (each byte would be slow on long bodies).
    if (cut % 7 !== 0 && ((bytes[cut] as number) & 0xc0) !== 0x80 && bytes[cut - 1] !== 13) continue;
    assert.deepEqual(normalize(decodeBody(newDecoder(), [bytes.subarray(0, cut), bytes.subarray(cut)]).events), expected, `cut at byte ${cut}`);
  }
  return { ...whole, byByte };
}
