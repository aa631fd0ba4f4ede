/** The chunks of a body as one Buffer: the only chunk itself, or one copy of them all. */
export function joinChunks(chunks: Buffer[], length: number): Buffer {
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
}

/**
 * A whole upstream body decoded once, as undici's BodyReadable did it: text is UTF-8 without a
 * leading byte order mark, JSON is that text parsed (a SyntaxError is thrown as is), bytes are a
 * copy (the chunks are views of the socket's reads).
 */
export function decodeUpstreamBody(chunks: Buffer[], length: number, kind: 'text' | 'json' | 'bytes'): unknown {
  const whole = joinChunks(chunks, length);
  if (kind === 'bytes') return new Uint8Array(whole);
  const start = whole.length > 2 && whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf ? 3 : 0;
  const text = whole.toString('utf8', start);
  return kind === 'text' ? text : (JSON.parse(text) as unknown);
}
