import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractGeneratedImages } from './extract-generated-images.ts';

describe('extractGeneratedImages', () => {
  it('prefers file events, images first', () => {
    const files = [
      { url: 'https://cdn/a.mp4', mediaType: 'video/mp4' },
      { url: 'https://cdn/b.png', mediaType: 'image/png' },
    ];
    assert.deepEqual(extractGeneratedImages({ files, text: '![x](https://cdn/other.png)' }), [{ url: 'https://cdn/b.png', mediaType: 'image/png' }]);
  });

  it('falls back to inline and reference-style markdown images in text order', () => {
    const text = 'First ![one][r1] then ![two](https://cdn/2.png "title") and [not an image](https://cdn/x)\n\n[r1]: https://cdn/1.png';
    assert.deepEqual(extractGeneratedImages({ files: [], text }), [{ url: 'https://cdn/1.png' }, { url: 'https://cdn/2.png' }]);
  });

  it('resolves collapsed references by their alt text and skips unresolved ones', () => {
    assert.deepEqual(extractGeneratedImages({ files: [], text: '![Cat][]\n![dog][missing]\n[cat]: https://cdn/cat.jpg' }), [{ url: 'https://cdn/cat.jpg' }]);
    assert.deepEqual(extractGeneratedImages({ files: [], text: 'no image here' }), []);
  });
});
