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
