import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SseEvent } from './sse-decoder.ts';
import { encodeSseData, encodeSseEvent, SSE_CONTENT_TYPE } from './sse-encoder.ts';
import { SseParser } from './sse-parser.ts';

async function decodeAll(body: string): Promise<SseEvent[]> {
  const parser = new SseParser();
  return [...parser.push(body), ...parser.end()];
}

describe('SSE encoders', () => {
  it('encodes a data-only event as OpenAI does', () => {
    assert.equal(encodeSseData('{"a":"é"}'), 'data: {"a":"é"}\n\n');
    assert.equal(encodeSseData('[DONE]'), 'data: [DONE]\n\n');
  });

  it('encodes a named event as Anthropic does', () => {
    assert.equal(encodeSseEvent('message_stop', '{"type":"message_stop"}'), 'event: message_stop\ndata: {"type":"message_stop"}\n\n');
  });

  it('round-trips through SseParser', async () => {
    const body = encodeSseEvent('content_block_delta', '{"text":"известни 👋"}') + encodeSseData('{"x":1}') + encodeSseData('[DONE]');
    assert.deepEqual(await decodeAll(body), [
      { event: 'content_block_delta', data: '{"text":"известни 👋"}' },
      { event: 'message', data: '{"x":1}' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('names the UTF-8 event-stream content type', () => {
    assert.equal(SSE_CONTENT_TYPE, 'text/event-stream; charset=utf-8');
  });
});
