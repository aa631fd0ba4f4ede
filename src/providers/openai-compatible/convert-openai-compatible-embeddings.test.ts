import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertOpenAICompatibleEmbeddings } from './convert-openai-compatible-embeddings.ts';

describe('convertOpenAICompatibleEmbeddings', () => {
  it('orders vectors by index and decodes base64 float32 from servers that ignore encoding_format', () => {
    const encoded = Buffer.alloc(8);
    encoded.writeFloatLE(0.5, 0);
    encoded.writeFloatLE(-2, 4);
    assert.deepEqual(
      convertOpenAICompatibleEmbeddings({ data: [{ index: 1, embedding: encoded.toString('base64') }, { index: 0, embedding: [1, 2] }] }, 2),
      { embeddings: [[1, 2], [0.5, -2]] },
    );
  });

  it('refuses a list that does not match the inputs', () => {
    assert.throws(() => convertOpenAICompatibleEmbeddings({ data: [{ embedding: [1] }] }, 2), /returned 1 embeddings for 2 inputs/);
    assert.throws(() => convertOpenAICompatibleEmbeddings({ data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [2] }] }, 2), /index 0/);
    assert.throws(() => convertOpenAICompatibleEmbeddings({ data: 'nope' }, 1), /not an embeddings list/);
  });
});
