import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from './line-splitter.ts';

/** The lines of a whole text, the reference: `\r\n`, `\n` and a lone `\r` end a line; a last line without an ending counts. */
function wholeLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function splitInChunks(bytes: Uint8Array, cuts: readonly number[]): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    lines.push(...splitter.push(bytes.subarray(from, cut)));
    from = cut;
  }
  lines.push(...splitter.end());
  return lines;
}

const encoder = new TextEncoder();
const TEXTS = [
  'data: {"a":1}\n\ndata: [DONE]\n\n',
  'event: ping\r\ndata: x\r\n\r\n',
  'one\rtwo\r\rthree\r\n\nfour',
  'é€𝄞 line\nnext€\r\n',
  '\r\n\r\n\n\r',
  'no line ending at all',
  'a\u2028b\nc\u2029\r',
];

describe('LineSplitter', () => {
  it('returns the same lines however the bytes are cut: once, twice, mid-line, mid-character, between \\r and \\n', () => {
    for (const text of TEXTS) {
      const bytes = encoder.encode(text);
      const expected = wholeLines(text);
      assert.deepEqual(splitInChunks(bytes, []), expected, JSON.stringify(text));
      for (let a = 1; a < bytes.length; a++) {
        assert.deepEqual(splitInChunks(bytes, [a]), expected, `${JSON.stringify(text)} cut at ${a}`);
        for (let b = a + 1; b < bytes.length; b++) assert.deepEqual(splitInChunks(bytes, [a, b]), expected, `${JSON.stringify(text)} cut at ${a}, ${b}`);
      }
    }
  });

  it('returns the same lines for random texts cut at random places', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ['a', 'bc', ' ', '\n', '\r', '\r\n', 'é', '€', '𝄞', 'data: ', '{"x":"y"}'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let i = random(40); i > 0; i--) text += pieces[random(pieces.length)];
      const bytes = encoder.encode(text);
      const cuts = [...new Set(Array.from({ length: random(6) }, () => random(bytes.length + 1)))].sort((x, y) => x - y);
      assert.deepEqual(splitInChunks(bytes, cuts), wholeLines(text), `${JSON.stringify(text)} cut at ${cuts.join(',')}`);
    }
  });

  it('drops a leading byte-order mark and takes strings as they are', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a])), ['a']);
    assert.deepEqual(splitter.push('b\r'), ['b']);
    assert.deepEqual(splitter.push('\nc'), []);
    assert.deepEqual(splitter.end(), ['c']);
  });
});
