import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { decodeOllamaImage } from './decode-ollama-image.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]).toString('base64');

function refusal(image: string): string {
  try {
    decodeOllamaImage(image, 'images[0]');
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail('expected the image to be refused');
}

describe('decodeOllamaImage', () => {
  it('takes raw base64 and recognises the image type', () => {
    assert.deepEqual(decodeOllamaImage(PNG, 'images[0]'), { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } });
    assert.deepEqual(decodeOllamaImage(JPEG, 'images[0]')?.source, { kind: 'base64', mediaType: 'image/jpeg', data: JPEG });
  });

  it('strips a data: URL prefix and keeps its type', () => {
    const part = decodeOllamaImage(`data:image/webp;base64,${PNG}`, 'images[0]');
    assert.deepEqual(part?.source, { kind: 'base64', mediaType: 'image/webp', data: PNG });
  });

  it('forgives missing padding and line breaks, as clients send them', () => {
    assert.ok(decodeOllamaImage('aGVsbG8', 'images[0]'));
    assert.ok(decodeOllamaImage('aGVs\r\nbG8=', 'images[0]'));
  });

  it("refuses what is not base64 with Go's message", () => {
    assert.equal(refusal('not base64!'), 'illegal base64 data at input byte 3');
    assert.equal(refusal('file:///tmp/cat.png'), 'illegal base64 data at input byte 4');
    assert.equal(refusal('ab=cd'), 'illegal base64 data at input byte 2');
    assert.equal(refusal('abcde'), 'illegal base64 data at input byte 4');
  });

  it('skips an empty image', () => {
    assert.equal(decodeOllamaImage('', 'images[0]'), undefined);
  });
});
