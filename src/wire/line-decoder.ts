import { LineSplitter } from './line-splitter.ts';

/**
 * Bytes → lines as an async stream (see LineSplitter for the rules: `\n`, `\r\n` and a lone `\r`
 * end a line, lines and characters split across chunks are joined, a final unterminated line is
 * yielded at the end, a leading byte-order mark is dropped).
 */
export async function* decodeLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
