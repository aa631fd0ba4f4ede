import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';

/** A stream's first events, held until one a client would see, and the rest still to come. */
export interface HeldStream {
  held: ChatStreamEvent[];
  rest: AsyncIterator<ChatStreamEvent>;
  /** performance.now() of the first output (text, reasoning, tool call, file), if any yet. */
  firstOutputAt: number | undefined;
}

/**
 * Reads a provider's stream until its first output or its finish, holding what came before
 * (`response-start`, empty role chunks). Until then nothing has reached the client, so an error —
 * as an event, thrown, or a stream that just ends — is thrown here: routing can still retry or
 * fall back, and the client gets a plain HTTP error (as Ollama's streamResponse does while it has
 * written nothing) instead of a 200 carrying only an error.
 */
export async function holdUntilOutput(events: AsyncIterable<ChatStreamEvent>): Promise<HeldStream> {
  const rest = events[Symbol.asyncIterator]();
  const held: ChatStreamEvent[] = [];
  try {
    for (;;) {
      const next = await rest.next();
      if (next.done === true) throw new GatewayError('upstream', 'the upstream stream ended before the response was complete');
      const event = next.value;
      if (event.type === 'error') throw event.error;
      held.push(event);
      if (isOutput(event)) return { held, rest, firstOutputAt: event.type === 'finish' ? undefined : performance.now() };
    }
  } catch (error) {
    await rest.return?.();
    throw error;
  }
}

function isOutput(event: ChatStreamEvent): boolean {
  switch (event.type) {
    case 'text-delta':
    case 'reasoning-delta':
      return event.text.length > 0;
    case 'tool-call-start':
    case 'provider-block-start':
    case 'file':
    case 'finish':
      return true;
    default:
      return false;
  }
}
