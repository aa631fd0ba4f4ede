import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { ChatStreamDecoder } from './chat-stream-decoder.ts';

/** Bytes → frames, one chunk at a time: SseParser (events) or LineSplitter (lines). */
export interface FrameSplitter<Frame> {
  push(chunk: Uint8Array | string): Frame[];
  /** The last frame if the body ended without its terminator. */
  end(): Frame[];
}

/**
 * The push/end skeleton of a decoder whose upstream sends frames (SSE events, NDJSON lines): each
 * frame a chunk completes is decoded into the batch until one ends the stream; a frame that throws
 * ends it with what `fail` makes of the error; at the end of the body the last frame is decoded,
 * then `complete` says what the end means (the finish, or an error for a cut-off answer).
 */
export abstract class FramedChatStreamDecoder<Frame> implements ChatStreamDecoder {
  private readonly frames: FrameSplitter<Frame>;

  constructor(frames: FrameSplitter<Frame>) {
    this.frames = frames;
  }

  abstract get isEnded(): boolean;

  abstract fail(error: unknown): ChatStreamEvent[];

  /** Decodes one frame into `out`; throws for a frame that is not the protocol. */
  protected abstract frame(frame: Frame, out: ChatStreamEvent[]): void;

  /** The body ended and nothing ended the stream yet: what is held back, then the finish or an error. */
  protected abstract complete(out: ChatStreamEvent[]): void;

  push(chunk: Uint8Array | string): ChatStreamEvent[] {
    const out: ChatStreamEvent[] = [];
    if (this.isEnded) return out;
    try {
      for (const frame of this.frames.push(chunk)) {
        this.frame(frame, out);
        if (this.isEnded) break;
      }
    } catch (error) {
      append(out, this.fail(error));
    }
    return out;
  }

  end(): ChatStreamEvent[] {
    const out: ChatStreamEvent[] = [];
    if (this.isEnded) return out;
    try {
      for (const frame of this.frames.end()) {
        this.frame(frame, out);
        if (this.isEnded) return out;
      }
      this.complete(out);
    } catch (error) {
      append(out, this.fail(error));
    }
    return out;
  }
}

function append(out: ChatStreamEvent[], events: readonly ChatStreamEvent[]): void {
  for (let i = 0; i < events.length; i++) out.push(events[i] as ChatStreamEvent);
}
