import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aspectRatioForSize } from './aspect-ratio-for-size.ts';

describe('aspectRatioForSize', () => {
  it("maps OpenAI sizes to the nearest common ratio", () => {
    assert.equal(aspectRatioForSize('1024x1024'), '1:1');
    assert.equal(aspectRatioForSize('1792x1024'), '16:9');
    assert.equal(aspectRatioForSize('1024x1792'), '9:16');
    assert.equal(aspectRatioForSize('1536x1024'), '3:2');
    assert.equal(aspectRatioForSize('1024x1536'), '2:3');
    assert.equal(aspectRatioForSize('800x600'), '4:3');
    assert.equal(aspectRatioForSize('2560x1080'), '21:9');
  });

  it('ignores auto and malformed sizes', () => {
    assert.equal(aspectRatioForSize(undefined), undefined);
    assert.equal(aspectRatioForSize('auto'), undefined);
    assert.equal(aspectRatioForSize('0x100'), undefined);
    assert.equal(aspectRatioForSize('big'), undefined);
  });
});
