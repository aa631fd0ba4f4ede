import { Readable } from 'node:stream';

/**
 * A request body of at least this many characters is handed to undici in a form it lets go of once
 * written. undici keeps a string or Buffer body on its request object until the answer has ended —
 * for a stream, as long as the stream stays open — while a stream body it only reads.
 */
export const SENT_ONCE_MIN_CHARS = 16 * 1024;

/** The body as a stream that holds its bytes until read, and its length in bytes for `content-length`. */
export interface SentOnceBody {
  body: Readable;
  byteLength: number;
}

/**
 * An agent's turn (tens to hundreds of KB, sent again with every turn) is sent this way, so an open
 * stream does not keep a copy of it outside V8's heap for its whole length: with a 48 KB turn,
 * 40 KB per open stream. Smaller bodies stay a string: undici writes them with the headers in one
 * call, which a stream (headers, then the bytes once the stream is read) would not.
 */
export function sentOnceBody(text: string): SentOnceBody {
  let bytes: Buffer | undefined = Buffer.from(text, 'utf8');
  const byteLength = bytes.length;
  // The bytes, then the end; the stream lets go of them as it hands them on. (Readable.from over a
  // generator did not: the generator object, which the stream keeps, still held its argument.)
  const body = new Readable({
    read() {
      this.push(bytes ?? null);
      bytes = undefined;
    },
  });
  return { body, byteLength };
}
