import { decodeLines } from './line-decoder.ts';

/** Bytes → one parsed JSON value per non-blank line (Ollama's stream framing). */
export async function* decodeNdjson(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  for await (const line of decodeLines(chunks)) {
    if (line.trim().length === 0) continue;
    yield JSON.parse(line) as unknown;
  }
}
