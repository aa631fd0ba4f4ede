import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractGeneratedImages } from './extract-generated-images.ts';

describe('extractGeneratedImages', () => {
  it('prefers file events, images first', () => {
    const parts = [
      { type: 'generated-file' as const, url: 'https://cdn/a.mp4', mediaType: 'video/mp4' },
      { type: 'generated-file' as const, url: 'https://cdn/b.png', mediaType: 'image/png' },
      { type: 'text' as const, text: '![x](https://cdn/other.png)' },
    ];
    assert.deepEqual(extractGeneratedImages({ parts }), [{ url: 'https://cdn/b.png', mediaType: 'image/png' }]);
  });

  it('falls back to inline and reference-style markdown images in text order', () => {
    const text = 'First ![one][r1] then ![two](https://cdn/2.png "title") and [not an image](https://cdn/x)\n\n[r1]: https://cdn/1.png';
    assert.deepEqual(extractGeneratedImages(textOnly(text)), [{ url: 'https://cdn/1.png' }, { url: 'https://cdn/2.png' }]);
  });

  it('resolves collapsed references by their alt text and skips unresolved ones', () => {
    assert.deepEqual(extractGeneratedImages(textOnly('![Cat][]\n![dog][missing]\n[cat]: https://cdn/cat.jpg')), [{ url: 'https://cdn/cat.jpg' }]);
    assert.deepEqual(extractGeneratedImages(textOnly('no image here')), []);
  });
});

function textOnly(text: string): { parts: [{ type: 'text'; text: string }] } {
  return { parts: [{ type: 'text', text }] };
}
