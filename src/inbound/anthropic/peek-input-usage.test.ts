import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { peekInputUsage } from './peek-input-usage.ts';

const start: ChatStreamEvent = { type: 'response-start' };
const usage: ChatStreamEvent = { type: 'input-usage', input: { total: 12 } };
const text: ChatStreamEvent = { type: 'text-start', id: 't0' };
const finish: ChatStreamEvent = { type: 'finish', finishReason: 'stop' };

describe('peekInputUsage', () => {
  it('finds usage reported before the first output', () => {
    assert.equal(peekInputUsage([start, usage, text]), true);
    assert.equal(peekInputUsage([usage, start, finish]), true);
  });

  it('says unknown when output comes first (usage only at the end) or nothing came', () => {
    assert.equal(peekInputUsage([start, text, usage]), false);
    assert.equal(peekInputUsage([start, finish]), false);
    assert.equal(peekInputUsage([start]), false);
  });
});
