import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';

/**
 * One client protocol's streaming format: canonical events in, the text to write out, one batch
 * (one upstream network chunk) at a time and synchronously. The events it is given end with exactly
 * one terminal event (`finish` or `error`: see MeasuredChatStream), which every encoder turns into
 * its protocol's proper ending.
 */
export interface ChatStreamEncoder {
  /** The text a batch encodes to, possibly ''; nothing once the terminal event is encoded. */
  encodeBatch(batch: readonly ChatStreamEvent[]): string;
  /** Whether the terminal event has been encoded. */
  readonly isEnded: boolean;
  /**
   * Once ended, the text still to write after the batch that brought the terminal event, when it
   * waits on async work (Ollama's generate `context`, a Responses answer stored before its
   * terminal event leaves); undefined when there is none. Called once; never rejects.
   */
  ending?(): Promise<string> | undefined;
  /** The keep-alive written while the upstream is silent (Anthropic's `ping`); '' once ended. */
  keepAlive?(): string;
}

/** An encoder that turns each event into its text on its own: the batch is the events' texts joined, up to the terminal event. */
export abstract class EventByEventEncoder implements ChatStreamEncoder {
  /** Set by `encode` once it has encoded the terminal event. */
  protected ended = false;

  get isEnded(): boolean {
    return this.ended;
  }

  encodeBatch(batch: readonly ChatStreamEvent[]): string {
    let out = '';
    for (let i = 0; i < batch.length && !this.ended; i++) out += this.encode(batch[i] as ChatStreamEvent);
    return out;
  }

  /** One event's text. */
  protected abstract encode(event: ChatStreamEvent): string;
}
