import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PoeThinkingSplitter } from './poe-thinking-splitter.ts';

/** Runs the splitter over `pieces` and returns the reasoning and text it produced. */
function split(pieces: readonly string[]): { reasoning: string; text: string; answerStarted: boolean } {
  let reasoning = '';
  let text = '';
  const splitter = new PoeThinkingSplitter({ reasoning: (delta) => (reasoning += delta), text: (delta) => (text += delta) });
  for (const piece of pieces) splitter.push(piece);
  splitter.end();
  return { reasoning, text, answerStarted: splitter.answerStarted };
}

/** Every way of cutting `whole` in two, plus one piece per character. */
function everySplit(whole: string): string[][] {
  const splits: string[][] = [[whole], [...whole]];
  for (let at = 1; at < whole.length; at++) splits.push([whole.slice(0, at), whole.slice(at)]);
  return splits;
}

describe('PoeThinkingSplitter', () => {
  it('turns a *Thinking...* marker and quoted thinking into reasoning, the rest into text', () => {
    const whole = '*Thinking...*\n\n> The user greets me.\n> I should greet back.\n\nHello! How can I help?';
    for (const pieces of everySplit(whole)) {
      assert.deepEqual(split(pieces), {
        reasoning: '*Thinking...*\nThe user greets me.\nI should greet back.\n',
        text: 'Hello! How can I help?',
        answerStarted: true,
      });
    }
  });

  it('turns "Thinking... (Ns elapsed)" progress into reasoning, also when repeated or glued to the answer', () => {
    for (const pieces of everySplit('Thinking... (1s elapsed)Thinking... (2.5s elapsed)\nThe answer is 4.')) {
      assert.deepEqual(split(pieces), {
        reasoning: 'Thinking... (1s elapsed)\nThinking... (2.5s elapsed)\n',
        text: 'The answer is 4.',
        answerStarted: true,
      });
    }
    assert.deepEqual(split(['Thinking... (3s elapsed)Paris.']), { reasoning: 'Thinking... (3s elapsed)\n', text: 'Paris.', answerStarted: true });
  });

  it('keeps markdown quotes of ordinary answers as answer text', () => {
    const whole = '> To be or not to be\n\nThat is the question, from Hamlet.\n\n> Another quote';
    for (const pieces of everySplit(whole)) assert.deepEqual(split(pieces), { reasoning: '', text: whole, answerStarted: true });
  });

  it('keeps quotes that follow the answer after thinking as answer text', () => {
    const whole = 'Thinking...\n> plan\n\nAnswer:\n> quoted in the answer\n';
    for (const pieces of everySplit(whole)) {
      assert.deepEqual(split(pieces), { reasoning: 'Thinking...\nplan\n', text: 'Answer:\n> quoted in the answer\n', answerStarted: true });
    }
  });

  it('does not take "Thinking..." followed by more words for a marker', () => {
    for (const whole of ['Thinking... about it, the answer is yes.', 'Thinking...? No.', 'Thinking (hard) is fun', 'Thinking... (not a counter)']) {
      for (const pieces of everySplit(whole)) assert.deepEqual(split(pieces), { reasoning: '', text: whole, answerStarted: true });
    }
  });

  it('passes text straight through once it cannot be a marker (no holding back of ordinary answers)', () => {
    let text = '';
    const splitter = new PoeThinkingSplitter({ reasoning: () => assert.fail('no reasoning expected'), text: (delta) => (text += delta) });
    splitter.push('Hel');
    assert.equal(text, 'Hel');
    splitter.push('lo');
    assert.equal(text, 'Hello');
  });

  it('streams quoted thinking as it arrives, without waiting for the line end', () => {
    let reasoning = '';
    const splitter = new PoeThinkingSplitter({ reasoning: (delta) => (reasoning += delta), text: () => undefined });
    splitter.push('*Thinking...*\n> Let me');
    assert.equal(reasoning, '*Thinking...*\nLet me');
    splitter.push(' see');
    assert.equal(reasoning, '*Thinking...*\nLet me see');
  });

  it('flushes a lone possible marker at the end as text, and can restart before the answer', () => {
    assert.deepEqual(split(['Think']), { reasoning: '', text: 'Think', answerStarted: true });
    let text = '';
    const splitter = new PoeThinkingSplitter({ reasoning: () => undefined, text: (delta) => (text += delta) });
    splitter.push('Thinking.');
    splitter.restart();
    splitter.push('Fresh answer');
    splitter.end();
    assert.equal(text, 'Fresh answer');
  });
});
