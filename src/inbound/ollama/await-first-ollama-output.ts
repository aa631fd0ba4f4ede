import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';

/**
 * Waits until a canonical stream produces something an Ollama client would see (text, thinking,
 * a whole tool call, a file, or the finish) before anything is written, and throws an error that
 * comes first. Ollama answers an error with an HTTP status as long as it has written nothing, and
 * with a final `{"error"}` line only after that; an upstream that opens with an empty chunk and
 * then fails must still give the client a 502, not a 200.
 * https://github.com/ollama/ollama/blob/main/server/routes.go (streamResponse)
 */
export async function awaitFirstOllamaOutput(events: AsyncIterable<ChatStreamEvent>): Promise<AsyncIterable<ChatStreamEvent>> {
  const iterator = events[Symbol.asyncIterator]();
  const held: ChatStreamEvent[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) throw new GatewayError('upstream', 'the upstream stream ended before the response was complete');
    const event = next.value;
    if (event.type === 'error') throw event.error;
    held.push(event);
    if (isVisible(event)) break;
  }
  return replayThenContinue(held, iterator);
}

function isVisible(event: ChatStreamEvent): boolean {
  switch (event.type) {
    case 'text-delta':
    case 'reasoning-delta':
      return event.text.length > 0;
    case 'tool-call-end':
    case 'file':
    case 'finish':
      return true;
    default:
      return false;
  }
}

/** The held events, then the rest straight from the source iterator (no extra layer per event). */
function replayThenContinue(held: ChatStreamEvent[], iterator: AsyncIterator<ChatStreamEvent>): AsyncIterable<ChatStreamEvent> {
  let position = 0;
  const continued: AsyncIterator<ChatStreamEvent> = {
    next: () => {
      const event = held[position];
      if (event === undefined) return iterator.next();
      position++;
      return Promise.resolve({ done: false, value: event });
    },
    return: async () => {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => continued };
}
