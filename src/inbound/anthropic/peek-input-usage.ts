import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';

type Batches = AsyncIterable<readonly ChatStreamEvent[]>;

/**
 * Whether the upstream reports the prompt's usage (`input-usage`) before the first output, read from
 * the batches routing already holds (it resolves once the first output arrived), and the batches
 * again, whole. When it does, `message_start` carries the upstream's figure and llmux need not count.
 */
export async function peekInputUsage(batches: Batches): Promise<{ known: boolean; batches: Batches }> {
  const iterator = batches[Symbol.asyncIterator]();
  const read: (readonly ChatStreamEvent[])[] = [];
  let known: boolean | undefined;
  while (known === undefined) {
    const next = await iterator.next();
    if (next.done === true) {
      known = false;
      break;
    }
    read.push(next.value);
    for (const event of next.value) {
      if (event.type === 'input-usage') known = true;
      else if (event.type !== 'response-start') known ??= false;
      if (known !== undefined) break;
    }
  }
  async function* replay(): AsyncGenerator<readonly ChatStreamEvent[]> {
    yield* read;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { known, batches: replay() };
}
