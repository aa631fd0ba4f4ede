import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { opensWithThinkTag, ThinkTagSplitter, type ThinkSegment } from './think-tag-splitter.ts';

/** Feeds deltas and joins what came out, by kind. */
function split(deltas: readonly string[]): { reasoning: string; text: string; order: string } {
  const splitter = new ThinkTagSplitter();
  const segments: ThinkSegment[] = [];
  for (const delta of deltas) segments.push(...splitter.push(delta));
  segments.push(...splitter.flush());
  let reasoning = '';
  let text = '';
  let order = '';
  for (const segment of segments) {
    if (segment.kind === 'reasoning') reasoning += segment.text;
    else text += segment.text;
    const mark = segment.kind === 'reasoning' ? 'R' : 'T';
    if (!order.endsWith(mark)) order += mark;
  }
  return { reasoning, text, order };
}

/** Every way of cutting `content` in two and in three. */
function* cuts(content: string): Generator<string[]> {
  for (let i = 0; i <= content.length; i++) {
    yield [content.slice(0, i), content.slice(i)];
    for (let j = i; j <= content.length; j++) yield [content.slice(0, i), content.slice(i, j), content.slice(j)];
  }
}

describe('ThinkTagSplitter', () => {
  it('splits leading <think> reasoning from the answer, whatever the cut', () => {
    const content = '<think>\nThe user wants a haiku.\n</think>\n\nCrisp leaves drift.';
    for (const deltas of cuts(content)) {
      assert.deepEqual(split(deltas), { reasoning: 'The user wants a haiku.', text: 'Crisp leaves drift.', order: 'RT' }, JSON.stringify(deltas));
    }
  });

  it('passes content without a leading tag through untouched', () => {
    const content = '  Hello <think>not reasoning</think> world';
    for (const deltas of cuts(content)) assert.deepEqual(split(deltas), { reasoning: '', text: content, order: 'T' });
  });

  it('treats a lone "<" or a partial tag that does not continue as text', () => {
    assert.deepEqual(split(['<', 'b>bold</b>']), { reasoning: '', text: '<b>bold</b>', order: 'T' });
    assert.deepEqual(split(['<thi']), { reasoning: '', text: '<thi', order: 'T' });
  });

  it('keeps "</" inside reasoning that is not the closing tag', () => {
    assert.deepEqual(split(['<think>a </', 'b> c</th', 'x</think>d']), { reasoning: 'a </b> c</thx', text: 'd', order: 'RT' });
  });

  it('ends an unterminated reasoning block as reasoning (the answer was cut by length)', () => {
    assert.deepEqual(split(['<think>still ', 'thinking \n', '</thi']), { reasoning: 'still thinking \n</thi', text: '', order: 'R' });
  });

  it('drops an empty think block (Qwen with /no_think)', () => {
    assert.deepEqual(split(['<think>\n\n</think>\n\n', 'Answer.']), { reasoning: '', text: 'Answer.', order: 'T' });
  });

  it('emits reasoning as it arrives, holding back only a possible closing tag', () => {
    const splitter = new ThinkTagSplitter();
    assert.deepEqual(splitter.push('<think>step one'), [{ kind: 'reasoning', text: 'step one' }]);
    assert.deepEqual(splitter.push(' two </thi'), [{ kind: 'reasoning', text: ' two' }]);
    assert.deepEqual(splitter.push('nk>Done'), [{ kind: 'text', text: 'Done' }]);
    assert.equal(splitter.isPassthrough, true);
    assert.deepEqual(splitter.push(' more'), [{ kind: 'text', text: ' more' }]);
  });

  it('opensWithThinkTag: content that does not open with the tag is all text, as the splitter finds it', () => {
    for (const content of ['', '  ', 'Hello', ' <thi', '<think', 'a <think>b</think>', '\n<think>r</think>t', '<think>r</think>t', '<think>unclosed', '<b>bold</b>']) {
      const splitter = new ThinkTagSplitter();
      const segments = [...splitter.push(content), ...splitter.flush()];
      const allText = segments.every((segment) => segment.kind === 'text') && segments.map((segment) => segment.text).join('') === content;
      assert.equal(opensWithThinkTag(content), !allText, JSON.stringify(content));
    }
  });
});
