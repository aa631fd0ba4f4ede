import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { chatStreamBody } from '../src/inbound/chat-stream-body.ts';
import type { ChatStreamEncoder } from '../src/inbound/chat-stream-encoder.ts';

/**
 * What an encoder writes for these batches (each one upstream network chunk), read as
 * writeStreamResponse reads a stream body: one string per non-empty read, in order. The batches
 * are handed over as they are (a routed stream ends with its terminal event; one that does not
 * shows what the body does then).
 */
export async function readChatStreamBody(encoder: ChatStreamEncoder, batches: readonly (readonly ChatStreamEvent[])[]): Promise<string[]> {
  let next = 0;
  let closed = false;
  const body = chatStreamBody(
    {
      next: async () => (next < batches.length ? [...(batches[next++] ?? [])] : undefined),
      close: async () => {
        closed = true;
      },
    },
    encoder,
  );
  const writes: string[] = [];
  for (let text = await body.read(); text !== undefined; text = await body.read()) if (text.length > 0) writes.push(text);
  await body.close();
  if (!closed) throw new Error('the body did not close its source');
  return writes;
}

/** The same, one event per batch, joined. */
export async function encodeEvents(encoder: ChatStreamEncoder, events: readonly ChatStreamEvent[]): Promise<string> {
  return (await readChatStreamBody(encoder, events.map((event) => [event]))).join('');
}
