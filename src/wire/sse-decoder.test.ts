import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SseEvent } from './sse-decoder.ts';
import { SseParser } from './sse-parser.ts';

const encoder = new TextEncoder();

async function events(chunks: readonly (Uint8Array | string)[]): Promise<SseEvent[]> {
  const parser = new SseParser();
  const result: SseEvent[] = [];
  for (const chunk of chunks) result.push(...parser.push(chunk));
  result.push(...parser.end());
  return result;
}

// An OpenAI-style stream with a keep-alive comment, as OpenRouter and others send them.
const OPENAI_BODY =
  ': OPENROUTER PROCESSING\n\n' +
  'data: {"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":"Здравей"}}]}\n\n' +
  'data: {"id":"c1","choices":[{"index":0,"delta":{"content":", известни 👋🏽"}}]}\n\n' +
  ': ping\n\n' +
  'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n' +
  'data: [DONE]\n\n';

const OPENAI_EVENTS: SseEvent[] = [
  { event: 'message', data: '{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":"Здравей"}}]}' },
  { event: 'message', data: '{"id":"c1","choices":[{"index":0,"delta":{"content":", известни 👋🏽"}}]}' },
  { event: 'message', data: '{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}' },
  { event: 'message', data: '[DONE]' },
];

// An Anthropic-style stream: named events, \r\n line endings.
const ANTHROPIC_BODY = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_1"}}',
  '',
  'event: ping',
  'data: {"type": "ping"}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"日本語"}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\r\n');

const ANTHROPIC_EVENTS: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start","message":{"id":"msg_1"}}' },
  { event: 'ping', data: '{"type": "ping"}' },
  { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"日本語"}}' },
  { event: 'message_stop', data: '{"type":"message_stop"}' },
];

function everySplit(body: string): Uint8Array[][] {
  const bytes = encoder.encode(body);
  const result: Uint8Array[][] = [];
  for (let at = 0; at <= bytes.length; at++) result.push([bytes.subarray(0, at), bytes.subarray(at)]);
  for (let first = 1; first < bytes.length; first += 7) {
    // Three pieces, so a line can be split twice.
    const second = Math.min(bytes.length, first + 3);
    result.push([bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)]);
  }
  result.push(Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1)));
  return result;
}

describe('server-sent events, read by SseParser', () => {
  it('yields nothing for empty input, blank lines or comments only', async () => {
    assert.deepEqual(await events([]), []);
    assert.deepEqual(await events(['\n\n\r\n']), []);
    assert.deepEqual(await events([': ping\n\n:\n\n']), []);
  });

  it('decodes an OpenAI-style stream, skipping comments', async () => {
    assert.deepEqual(await events([OPENAI_BODY]), OPENAI_EVENTS);
  });

  it('decodes an Anthropic-style stream with event names and \\r\\n', async () => {
    assert.deepEqual(await events([ANTHROPIC_BODY]), ANTHROPIC_EVENTS);
  });

  it('gives the same events for every split point of an OpenAI-style body', async () => {
    for (const chunks of everySplit(OPENAI_BODY)) {
      assert.deepEqual(await events(chunks), OPENAI_EVENTS, `chunks ${JSON.stringify(chunks.map((chunk) => chunk.length))}`);
    }
  });

  it('gives the same events for every split point of an Anthropic-style body', async () => {
    for (const chunks of everySplit(ANTHROPIC_BODY)) {
      assert.deepEqual(await events(chunks), ANTHROPIC_EVENTS, `chunks ${JSON.stringify(chunks.map((chunk) => chunk.length))}`);
    }
  });

  it('accepts a lone \\r as line ending, also split from the next line', async () => {
    assert.deepEqual(await events(['data: a\r\rdata: b\r', '\r']), [
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
    assert.deepEqual(await events(['data: a\r', '\n\r\n']), [{ event: 'message', data: 'a' }]);
  });

  it('joins several data lines with \\n', async () => {
    assert.deepEqual(await events(['data: first\ndata:second\ndata:  third\ndata\n\n']), [
      { event: 'message', data: 'first\nsecond\n third\n' },
    ]);
  });

  it('removes exactly one space after the colon', async () => {
    assert.deepEqual(await events(['data:  two spaces\n\ndata:none\n\n']), [
      { event: 'message', data: ' two spaces' },
      { event: 'message', data: 'none' },
    ]);
  });

  it('dispatches an empty data field as an empty string', async () => {
    assert.deepEqual(await events(['data:\n\ndata\n\n']), [
      { event: 'message', data: '' },
      { event: 'message', data: '' },
    ]);
  });

  it('does not dispatch an event with no data and resets its name', async () => {
    assert.deepEqual(await events(['event: lonely\n\ndata: x\n\n']), [{ event: 'message', data: 'x' }]);
  });

  it('uses the event name for one event only', async () => {
    assert.deepEqual(await events(['event: named\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n']), [
      { event: 'named', data: '1' },
      { event: 'message', data: '2' },
      { event: 'message', data: '3' },
    ]);
  });

  it('reports id, which carries over to later events as the spec says', async () => {
    assert.deepEqual(await events(['id: 7\ndata: a\n\ndata: b\n\nid: 8\nevent: e\ndata: c\n\n']), [
      { event: 'message', data: 'a', id: '7' },
      { event: 'message', data: 'b', id: '7' },
      { event: 'e', data: 'c', id: '8' },
    ]);
  });

  it('ignores comments inside an event and unknown fields', async () => {
    assert.deepEqual(await events(['data: a\n: keep-alive\nretry: 1000\nfoo: bar\ndata: b\n\n']), [
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('dispatches a final event that has no trailing blank line', async () => {
    assert.deepEqual(await events(['data: 1\n\nevent: last\ndata: 2']), [
      { event: 'message', data: '1' },
      { event: 'last', data: '2' },
    ]);
    assert.deepEqual(await events(['data: 1\n']), [{ event: 'message', data: '1' }]);
  });

  it('keeps colons inside the value', async () => {
    assert.deepEqual(await events(['data: {"url":"http://x"}\n\n']), [{ event: 'message', data: '{"url":"http://x"}' }]);
  });
});
