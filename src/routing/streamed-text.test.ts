import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamedText } from './streamed-text.ts';

test('gives back exactly the text appended, in order, across pieces', () => {
  const text = new StreamedText();
  let expected = '';
  for (let index = 0; index < 1000; index++) {
    const delta = index % 7 === 0 ? '' : `d${index}😀 `;
    text.append(delta);
    expected += delta;
  }
  assert.equal(text.toString(), expected);
  assert.equal(new StreamedText().toString(), '');
});
