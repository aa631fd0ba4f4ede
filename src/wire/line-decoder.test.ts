import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLines } from './line-decoder.ts';

const encoder = new TextEncoder();

async function* fromChunks(chunks: readonly (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  for (const chunk of chunks) yield chunk;
}

async function lines(chunks: readonly (Uint8Array | string)[]): Promise<string[]> {
  const result: string[] = [];
  for await (const line of decodeLines(fromChunks(chunks))) result.push(line);
  return result;
}

/** Every way to cut `bytes` in two, plus the one-byte-per-chunk extreme. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const result: Uint8Array[][] = [];
  for (let at = 0; at <= bytes.length; at++) result.push([bytes.subarray(0, at), bytes.subarray(at)]);
  result.push(Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1)));
  return result;
}

describe('decodeLines', () => {
  it('yields nothing for empty input and for empty chunks', async () => {
    assert.deepEqual(await lines([]), []);
    assert.deepEqual(await lines([new Uint8Array(0), '', new Uint8Array(0)]), []);
  });

  it('splits on \\n, \\r\\n and a lone \\r, keeping empty lines', async () => {
    assert.deepEqual(await lines(['a\nb\r\nc\rd\n\ne']), ['a', 'b', 'c', 'd', '', 'e']);
    assert.deepEqual(await lines(['\r\r\n\n']), ['', '', '']);
  });

  it('yields a final line that has no line ending', async () => {
    assert.deepEqual(await lines(['one\ntwo']), ['one', 'two']);
    assert.deepEqual(await lines(['only']), ['only']);
  });

  it('does not yield an extra empty line after a trailing line ending', async () => {
    assert.deepEqual(await lines(['one\n']), ['one']);
    assert.deepEqual(await lines(['one\r\n']), ['one']);
    assert.deepEqual(await lines(['one\r']), ['one']);
  });

  it('treats \\r at the end of one chunk and \\n at the start of the next as one line ending', async () => {
    assert.deepEqual(await lines(['a\r', '\nb']), ['a', 'b']);
    assert.deepEqual(await lines([encoder.encode('a\r'), encoder.encode('\nb\n')]), ['a', 'b']);
    // Empty chunks in between do not make the \n count as a second line ending.
    assert.deepEqual(await lines(['a\r', '', new Uint8Array(0), '\nb']), ['a', 'b']);
    // A \r followed later by a real blank line still yields that blank line.
    assert.deepEqual(await lines(['a\r', 'b\n\n']), ['a', 'b', '']);
    assert.deepEqual(await lines(['a\r', '\n', '\n', 'b']), ['a', '', 'b']);
  });

  it('joins a line spread over many chunks', async () => {
    assert.deepEqual(await lines(['he', 'll', 'o wor', 'ld\nnext']), ['hello world', 'next']);
  });

  it('joins multi-byte characters split between chunks', async () => {
    const text = 'известни 👋🏽 ok\n日本語\r\n';
    const bytes = encoder.encode(text);
    for (const chunks of splits(bytes)) {
      assert.deepEqual(await lines(chunks), ['известни 👋🏽 ok', '日本語'], `split into ${chunks.length} chunks`);
    }
  });

  it('gives the same lines for every split point of a body mixing all line endings', async () => {
    const body = 'first\r\nвторой\rthird 🎉\n\nfifth\r\n\r\nlast';
    const expected = ['first', 'второй', 'third 🎉', '', 'fifth', '', 'last'];
    for (const chunks of splits(encoder.encode(body))) {
      assert.deepEqual(await lines(chunks), expected, `chunks ${JSON.stringify(chunks.map((chunk) => chunk.length))}`);
    }
  });

  it('drops a leading byte-order mark', async () => {
    assert.deepEqual(await lines([new Uint8Array([0xef, 0xbb, 0xbf]), encoder.encode('a\n')]), ['a']);
  });

  it('turns a truncated multi-byte character at the very end into U+FFFD', async () => {
    const bytes = encoder.encode('ok é');
    assert.deepEqual(await lines([bytes.subarray(0, bytes.length - 1)]), ['ok \uFFFD']);
  });
});
