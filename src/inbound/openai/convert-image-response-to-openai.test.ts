import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertImageResponseToOpenAI } from './convert-image-response-to-openai.ts';
import { float32Base64 } from './float32-base64.ts';

describe('convertImageResponseToOpenAI', () => {
  it('answers in the format asked for where the provider gave it', () => {
    const response = {
      created: 1700000000,
      images: [{ url: 'https://cdn.example/a.png', revisedPrompt: 'a cat' }, { b64Json: 'AAAA', mediaType: 'image/webp' }],
    };
    assert.deepEqual(convertImageResponseToOpenAI(response, 'url'), {
      created: 1700000000,
      data: [{ url: 'https://cdn.example/a.png', revised_prompt: 'a cat' }, { url: 'data:image/webp;base64,AAAA' }],
    });
    assert.deepEqual(convertImageResponseToOpenAI(response, 'b64_json').data, [{ url: 'https://cdn.example/a.png', revised_prompt: 'a cat' }, { b64_json: 'AAAA' }]);
  });
});

describe('float32Base64', () => {
  it('encodes little-endian float32 as OpenAI does', () => {
    const encoded = float32Base64([1, -2.5, 0.1]);
    const bytes = Buffer.from(encoded, 'base64');
    assert.equal(bytes.length, 12);
    assert.deepEqual([...new Float32Array(bytes.buffer, bytes.byteOffset, 3)], [1, -2.5, Math.fround(0.1)]);
    assert.equal(bytes.readUInt32LE(0), 0x3f800000);
  });
});
