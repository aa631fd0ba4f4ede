import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError } from '../canonical/gateway-error.ts';

/** A stream's first events, held until one a client would see, and the batches still to come. */
export interface HeldStream {
  /** Every event up to the first output, and the rest of the batch that brought it. */
  held: ChatStreamEvent[];
  rest: AsyncIterator<ChatStreamEvent[]>;
  /** performance.now() of the first output (text, reasoning, tool call, file), if any yet. */
  firstOutputAt: number | undefined;
}

/**
 * Reads a provider's stream until its first output or its finish, holding what came before
 * (`response-start`, empty role chunks). Until then nothing has reached the client, so an error —
 * as an event, thrown, or a stream that just ends — is thrown here: routing can still retry or
 * fall back, and the client gets a plain HTTP error (as Ollama's streamResponse does while it has
 * written nothing) instead of a 200 carrying only an error. The batch that brings the first output
 * is held whole, so it still leaves in one write. `waited.ms` gets the time spent waiting for
 * batches (the upstream's time to its first output, and the decoding of what it sent until then),
 * whether the stream got there or failed.
 */
export async function holdUntilOutput(batches: AsyncIterable<ChatStreamEvent[]>, waited?: { ms: number }): Promise<HeldStream> {
  const rest = batches[Symbol.asyncIterator]();
  const held: ChatStreamEvent[] = [];
  try {
    for (;;) {
      const asked = performance.now();
      let next: IteratorResult<ChatStreamEvent[]>;
      try {
        next = await rest.next();
      } finally {
        if (waited !== undefined) waited.ms += performance.now() - asked;
      }
      if (next.done === true) throw new GatewayError('upstream', 'the upstream stream ended before the response was complete');
      const batch = next.value;
      for (let i = 0; i < batch.length; i++) {
        const event = batch[i] as ChatStreamEvent;
        if (event.type === 'error') throw event.error;
        if (isOutput(event)) {
          for (let j = i; j < batch.length; j++) held.push(batch[j] as ChatStreamEvent);
          return { held, rest, firstOutputAt: event.type === 'finish' ? undefined : performance.now() };
        }
        held.push(event);
      }
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
