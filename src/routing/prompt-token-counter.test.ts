import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage } from '../canonical/chat-message.ts';
import { loadPromptTokenCounter } from './prompt-token-counter.ts';

const weather = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];

test('a prompt counts as the o200k tokenizer counts its text', async () => {
  const count = await loadPromptTokenCounter();
  const messages: ChatMessage[] = [{ role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] }];
  assert.equal(await count(messages, weather), countTokens(`user\nWeather in Paris?\n${JSON.stringify(weather)}`));
});

test('a prompt with a long run of letters is counted in slices that give the event loop back', async () => {
  // Counted in one piece, 70,000 "ü" in tool-call arguments held the event loop for minutes.
  const count = await loadPromptTokenCounter();
  const messages: ChatMessage[] = [{ role: 'assistant', parts: [{ type: 'tool-call', id: 't1', name: 'get_weather', arguments: JSON.stringify({ city: 'ü'.repeat(70_000) }) }] }];
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  try {
    const counted = await count(messages, undefined);
    assert.ok(turns > 0, 'no timer ran while the prompt was counted');
    assert.ok(counted > 0);
  } finally {
    clearInterval(ticker);
  }
});

test('counting stops when the request is aborted', async () => {
  const count = await loadPromptTokenCounter();
  const controller = new AbortController();
  controller.abort();
  const messages: ChatMessage[] = [{ role: 'user', parts: [{ type: 'text', text: 'x '.repeat(100_000) }] }];
  await assert.rejects(count(messages, undefined, controller.signal), { kind: 'canceled' });
});

/** A prompt written as one text, as the counter's pieces join up. */
function wholeText(messages: readonly ChatMessage[], tools: readonly unknown[] | undefined): string {
  let text = '';
  for (const message of messages) {
    text += message.role + '\n';
    for (const part of message.parts) {
      if (part.type === 'text' || part.type === 'reasoning') text += part.text;
      else if (part.type === 'tool-call') text += part.name + part.arguments;
      else if (part.type === 'tool-result') text += part.content;
      text += '\n';
    }
  }
  return tools === undefined || tools.length === 0 ? text : text + JSON.stringify(tools);
}

/** Short runs of everything the tokenizer's pre-split tells apart, message edges included: trailing and leading spaces, newlines, punctuation, digits, accents, emoji. */
const FRAGMENTS = ['Hello', ' world', '  ', '\n', '\n\n', ' \n', '}', '})\n', '123', '4567', "'s", ' é', 'ü', '😀', '\t', '.', ' ,', '"', 'CamelCase', '->', ' // ', '\r\n', 'x'];

function randomText(next: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  return text;
}

test('counted message by message, a prompt counts exactly what its whole text counts, whatever its messages start and end with', async () => {
  const count = await loadPromptTokenCounter();
  let seed = 7;
  const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const roles = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
  for (let round = 0; round < 200; round++) {
    const messages: ChatMessage[] = [];
    const turns = 1 + Math.floor(next() * 6);
    for (let turn = 0; turn < turns; turn++) {
      const role = roles[Math.floor(next() * roles.length)] ?? 'user';
      const kind = next();
      // Long enough (over 512 characters) that some pieces are remembered and answered from the cache.
      const text = randomText(next, Math.floor(next() * 300));
      const parts: ChatMessage['parts'] =
        kind < 0.6 ? [{ type: 'text', text }] : kind < 0.8 ? [{ type: 'tool-call', id: 'c', name: 'run', arguments: JSON.stringify({ text }) }] : [{ type: 'tool-result', toolCallId: 'c', content: text }, { type: 'text', text: randomText(next, 5) }];
      messages.push({ role, parts } as ChatMessage);
    }
    const tools = next() < 0.5 ? weather : undefined;
    const text = wholeText(messages, tools);
    assert.equal(await count(messages, tools), countTokens(text), JSON.stringify(text));
    // Again, now from the cache where a piece is long enough to be remembered.
    assert.equal(await count(messages, tools), countTokens(text), JSON.stringify(text));
  }
});

test('a prompt of many messages, each shorter than a slice, still gives the event loop back and stops when the request is aborted', async () => {
  const count = await loadPromptTokenCounter();
  // 40 different messages of 8,000 characters: no one of them fills a 32,768-character slice.
  const messages: ChatMessage[] = Array.from({ length: 40 }, (_, index) => ({ role: 'user', parts: [{ type: 'text', text: `${index} `.repeat(4000 / String(index).length) }] }));
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  try {
    assert.ok((await count(messages, undefined)) > 0);
    assert.ok(turns > 0, 'no timer ran while the prompt was counted');
  } finally {
    clearInterval(ticker);
  }
  const controller = new AbortController();
  controller.abort();
  const others: ChatMessage[] = messages.map((message, index) => ({ role: 'assistant', parts: [{ type: 'text', text: `${index}! `.repeat(2000) }] }));
  await assert.rejects(count(others, undefined, controller.signal), { kind: 'canceled' });
});
