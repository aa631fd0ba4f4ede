import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError, toGatewayError } from '../canonical/gateway-error.ts';
import type { MeasuredChatStream } from '../routing/measure-chat-stream.ts';
import type { StreamBody } from '../server/stream-body.ts';
import type { ChatStreamEncoder } from './chat-stream-encoder.ts';

const ENDED: Promise<undefined> = Promise.resolve(undefined);

/** What a body reads: a routed stream's batches (see MeasuredChatStream). */
export type ChatBatchSource = Pick<MeasuredChatStream, 'next' | 'close'>;

/**
 * A routed stream encoded for the client, as writeStreamResponse reads it: each read waits for the
 * next upstream batch, then measures and encodes it in one synchronous pass. `stream` may still be
 * on its way (routing has not found an upstream that answered yet): the body then opens at once
 * with the encoder's keep-alive, and a routing failure becomes the stream's error ending. It says
 * when the text it gave is the last (`ended`: the terminal event, or the encoder's ending after
 * it), so that the writer ends the response with that text.
 * `keepAliveMs`: how long a silence lasts before the encoder's keep-alive is written.
 */
export function chatStreamBody(stream: ChatBatchSource | Promise<ChatBatchSource>, encoder: ChatStreamEncoder, keepAliveMs?: number): StreamBody {
  return new ChatStreamBody(stream, encoder, keepAliveMs);
}

class ChatStreamBody implements StreamBody {
  readonly keepAlive?: { intervalMs: number; text(): string };
  private readonly encoder: ChatStreamEncoder;
  private stream: ChatBatchSource | undefined;
  private routing: Promise<ChatBatchSource> | undefined;
  private opened = false;
  private done = false;
  /** What the encoder still writes after its terminal batch (see ChatStreamEncoder.ending), for the next read. */
  private ending: Promise<string> | undefined;

  constructor(stream: ChatBatchSource | Promise<ChatBatchSource>, encoder: ChatStreamEncoder, keepAliveMs: number | undefined) {
    this.encoder = encoder;
    if (stream instanceof Promise) {
      this.routing = stream;
      // Its failure is read (as the error ending) once the stream has opened.
      stream.catch(() => undefined);
    } else this.stream = stream;
    const keepAlive = encoder.keepAlive?.bind(encoder);
    if (keepAlive !== undefined && keepAliveMs !== undefined) this.keepAlive = { intervalMs: keepAliveMs, text: keepAlive };
  }

  /** The text last read was the body's last: its terminal event is encoded, and the encoder had nothing to add after it. */
  get ended(): boolean {
    return this.done;
  }

  read(): Promise<string | undefined> {
    if (this.done) return ENDED;
    const ending = this.ending;
    if (ending !== undefined) {
      this.done = true;
      return ending;
    }
    const stream = this.stream;
    if (stream !== undefined) return stream.next().then(this.encode);
    if (!this.opened) {
      this.opened = true;
      return Promise.resolve(this.keepAlive?.text() ?? '');
    }
    return (this.routing as Promise<ChatBatchSource>).then(
      (routed) => {
        this.stream = routed;
        return routed.next().then(this.encode);
      },
      (error: unknown) => this.encodeError(toGatewayError(error)),
    );
  }

  /** Not async itself: closing a routed stream (the usual case) costs no promise of its own. */
  close(): Promise<void> {
    this.done = true;
    if (this.stream !== undefined) return this.stream.close();
    if (this.routing === undefined) return ENDED;
    // The client left while routing still waited on an upstream: the stream it finds is closed at once.
    return this.routing.then(
      (routed) => routed.close(),
      () => undefined,
    );
  }

  /** A batch's text; an encoder that fails on it (a tool call's arguments that are not JSON) ends the stream with the error. */
  private readonly encode = (batch: readonly ChatStreamEvent[] | undefined): string => {
    if (batch === undefined) return this.encodeError(new GatewayError('upstream', 'the upstream stream ended before the response was complete'));
    let text: string;
    try {
      text = this.encoder.encodeBatch(batch);
    } catch (error) {
      return this.encodeError(toGatewayError(error));
    }
    return this.settled(text);
  };

  private encodeError(error: GatewayError): string {
    return this.settled(this.encoder.encodeBatch([{ type: 'error', error }]));
  }

  /**
   * `text`, noting whether it ends the body: once the encoder has encoded the terminal event, its
   * ending (asked for once) is the last text if it has one, else `text` is.
   */
  private settled(text: string): string {
    if (this.encoder.isEnded) {
      this.ending = this.encoder.ending?.();
      if (this.ending === undefined) this.done = true;
    }
    return text;
  }
}
