import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeUpstreamBody, joinChunks } from './decode-upstream-body.ts';

describe('decodeUpstreamBody', () => {
  const bytes = Buffer.from('\uFEFF{"ok":"известни"}');
  // Split inside the BOM and inside a Cyrillic letter.
  const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 14), bytes.subarray(14)];

  it('joins the chunks once and drops a leading BOM from text and JSON', () => {
    assert.equal(decodeUpstreamBody(chunks, bytes.length, 'text'), '{"ok":"известни"}');
    assert.deepEqual(decodeUpstreamBody(chunks, bytes.length, 'json'), { ok: 'известни' });
  });

  it('keeps every byte, BOM included, in a copy for bytes()', () => {
    const single = [Buffer.from(bytes)];
    const copy = decodeUpstreamBody(single, bytes.length, 'bytes') as Uint8Array;
    assert.deepEqual(Buffer.from(copy), bytes);
    copy[0] = 0;
    assert.equal(single[0]?.[0], 0xef, 'the chunk itself is untouched');
  });

  it('an empty body is empty text and fails as JSON', () => {
    assert.equal(decodeUpstreamBody([], 0, 'text'), '');
    assert.throws(() => decodeUpstreamBody([], 0, 'json'), SyntaxError);
  });

  it('joinChunks hands back a single chunk without copying', () => {
    const only = Buffer.from('a');
    assert.equal(joinChunks([only], 1), only);
    assert.equal(joinChunks([Buffer.from('a'), Buffer.from('b')], 2).toString(), 'ab');
  });
});
