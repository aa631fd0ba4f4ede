/**
 * A streamed response body as writeStreamResponse pulls it: one `read` per upstream network chunk,
 * which waits for that chunk and turns it into the text to write in one synchronous pass (no chain
 * of async generators per event), so that each chunk leaves as one write as soon as it is decoded.
 */
export interface StreamBody {
  /** The text for the next upstream chunk ('' when it brought nothing to send), or undefined once the body has ended. */
  read(): Promise<string | undefined>;
  /**
   * Called once when the writer is done, whether the body ended or the client went away first:
   * the upstream is released (cut if unfinished) and what the stream used is reported. Never rejects.
   */
  close(): Promise<void>;
  /**
   * True once the text last read is the body's last (nothing more would come of another read): the
   * writer ends the response with it, so that the last text and the end of the body leave in one
   * write — one wake-up of the client at the end of a stream, not two. A body without it is ended
   * by a read that gives undefined.
   */
  readonly ended?: boolean;
  /** Text written whenever nothing was for `intervalMs` (Anthropic's `ping`); '' sends nothing. */
  keepAlive?: { intervalMs: number; text(): string };
}

const ENDED = Promise.resolve(undefined);
const CLOSED = Promise.resolve();

/** A body of texts known at once (Ollama's pull progress): one write each. */
export function fixedStreamBody(texts: readonly string[]): StreamBody {
  let next = 0;
  return {
    read: () => (next < texts.length ? Promise.resolve(texts[next++]) : ENDED),
    close: () => CLOSED,
  };
}
