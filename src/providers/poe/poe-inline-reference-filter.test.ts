import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PoeInlineReferenceFilter } from './poe-inline-reference-filter.ts';

function run(pieces: readonly string[], refs: string[]): string {
  const filter = new PoeInlineReferenceFilter(new Set(refs));
  let text = '';
  for (const piece of pieces) text += filter.push(piece);
  return text + filter.end();
}

describe('PoeInlineReferenceFilter', () => {
  it('takes out references to files already sent, however the text is split', () => {
    const whole = 'Here: ![cat.png][abc12345] done! Really!';
    for (let at = 0; at <= whole.length; at++) assert.equal(run([whole.slice(0, at), whole.slice(at)], ['abc12345']), 'Here:  done! Really!');
  });

  it('keeps unknown references, inline images and exclamation marks', () => {
    const whole = 'Wow! ![x][other] ![y](https://cdn/y.png) !';
    for (let at = 0; at <= whole.length; at++) assert.equal(run([whole.slice(0, at), whole.slice(at)], ['abc']), whole);
  });

  it('lets text through untouched when no file was sent', () => {
    const filter = new PoeInlineReferenceFilter(new Set());
    assert.equal(filter.push('Hi ![a]['), 'Hi ![a][');
  });
});
