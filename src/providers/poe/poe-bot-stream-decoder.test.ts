import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { createLogger } from '../../observability/create-logger.ts';
import { pythonJsonDumps } from '../../../test-support/fake-poe-server.ts';
import { collectChatResponse } from '../collect-chat-response.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { decodeEverySplit } from '../../../test-support/decode-every-split.ts';
import { decodeChunks } from '../shared/chat-stream-decoder.ts';
import { PoeBotStreamDecoder } from './poe-bot-stream-decoder.ts';
import { responseText } from '../../canonical/chat-response.ts';

const log = createLogger('silent');
const META = 'event: meta\r\ndata: {"content_type": "text/markdown", "refetch_settings": false, "linkify": true, "suggested_replies": false}\r\n\r\n';
const DONE = 'event: done\r\ndata: {}\r\n\r\n';

function event(name: string, data: unknown): string {
  return `event: ${name}\r\ndata: ${pythonJsonDumps(data)}\r\n\r\n`;
}

async function* chunksOf<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function decode(wire: string | Uint8Array[], mode: 'stream' | 'final' = 'stream'): Promise<ChatStreamEvent[]> {
  const pieces = typeof wire === 'string' ? [Buffer.from(wire, 'utf8')] : wire;
  return decodeChunks(new PoeBotStreamDecoder({ botName: 'TestBot', mode, log, url: 'http://127.0.0.1/bot/TestBot' }), pieces);
}

function textOf(events: ChatStreamEvent[]): string {
  return events.map((item) => (item.type === 'text-delta' ? item.text : '')).join('');
}

function reasoningOf(events: ChatStreamEvent[]): string {
  return events.map((item) => (item.type === 'reasoning-delta' ? item.text : '')).join('');
}

describe('PoeBotStreamDecoder', () => {
  it('decodes text events into one well-formed text block, at every byte split, across multi-byte characters', async () => {
    const wire = META + ': ping - 2025-06-01 10:00:00.000000+00:00\r\n\r\n' + event('text', { text: 'Grüß ' }) + event('text', { text: 'dich 👋' }) + event('suggested_reply', { text: 'Tell me more' }) + DONE;
    const bytes = Buffer.from(wire.replace('Grüß', 'Grüß'), 'utf8');
    const expected: ChatStreamEvent[] = [
      { type: 'response-start', model: 'TestBot' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Grüß ' },
      { type: 'text-delta', id: '0', text: 'dich 👋' },
      { type: 'text-end', id: '0' },
      { type: 'finish', finishReason: 'stop' },
    ];
    for (let at = 1; at < bytes.length; at++) {
      const events = await decode([bytes.subarray(0, at), bytes.subarray(at)]);
      assert.equal(textOf(events), 'Grüß dich 👋', `split at byte ${at}`);
      assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'stop' });
    }
    assert.deepEqual(await decode([bytes]), expected);
    // Raw UTF-8 (not \u-escaped) data, split inside the four bytes of the emoji.
    const raw = Buffer.from(META + 'event: text\ndata: {"text": "👋"}\n\n' + DONE, 'utf8');
    const emoji = raw.indexOf(0xf0);
    for (let at = emoji + 1; at < emoji + 4; at++) assert.equal(textOf(await decode([raw.subarray(0, at), raw.subarray(at)])), '👋');
  });

  it('streams only the new suffix when a replace_response extends what was sent', async () => {
    const events = await decode(META + event('text', { text: 'Hello' }) + event('replace_response', { text: 'Hello world' }) + event('text', { text: '!' }) + DONE);
    assert.deepEqual(
      events.filter((item) => item.type === 'text-delta').map((item) => (item.type === 'text-delta' ? item.text : '')),
      ['Hello', ' world!'],
    );
  });

  it('holds progress that a bot keeps replacing, and streams the final answer', async () => {
    const wire =
      META +
      event('replace_response', { text: 'Generating image (2s elapsed)' }) +
      event('replace_response', { text: 'Generating image (4s elapsed)' }) +
      event('replace_response', { text: 'Here is ' }) +
      event('text', { text: 'your cat.' }) +
      DONE;
    const events = await decode(wire);
    assert.equal(textOf(events), 'Here is your cat.');
    assert.ok(!JSON.stringify(events).includes('elapsed'));
  });

  it('a non-streamed answer gets only the final text, even after text that was replaced', async () => {
    const wire = META + event('text', { text: 'Draft answer' }) + event('replace_response', { text: 'Final answer' }) + DONE;
    const response = await collectChatResponse(chunksOf(decodeChunks(new PoeBotStreamDecoder({ botName: 'TestBot', mode: 'final', log, url: 'x' }), [Buffer.from(wire)])));
    assert.equal(responseText(response), 'Final answer');
    // Streamed, the draft already went out: the replacement follows after a blank line.
    assert.equal(textOf(await decode(wire)), 'Draft answer\n\nFinal answer');
  });

  it('starts over when the replaced text held no answer yet (only thinking, which stays reasoning)', async () => {
    const wire = META + event('text', { text: 'Thinking... (1s elapsed)' }) + event('replace_response', { text: 'Thinking... (2s elapsed)' }) + event('text', { text: '\nParis.' }) + DONE;
    const events = await decode(wire);
    assert.equal(textOf(events), 'Paris.');
    assert.equal(reasoningOf(events), 'Thinking... (1s elapsed)\nThinking... (2s elapsed)\n');
  });

  it('turns json chunks into tool calls and their content into text', async () => {
    const chunk = (delta: unknown, finish: string | null = null): string =>
      event('json', { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    const wire =
      META +
      chunk({ content: 'Checking.' }) +
      chunk({ tool_calls: [{ index: 0, id: 'call_123', type: 'function', function: { name: 'get_weather', arguments: '' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }) +
      chunk({}, 'tool_calls') +
      DONE;
    const events = await decode(wire);
    assert.deepEqual(events, [
      { type: 'response-start', model: 'TestBot' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Checking.' },
      { type: 'text-end', id: '0' },
      { type: 'tool-call-start', id: '1', toolCallId: 'call_123', name: 'get_weather' },
      { type: 'tool-call-delta', id: '1', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', id: '1', argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', id: '1' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ]);
  });

  it('turns file events into file events and takes resolved inline references out of the text', async () => {
    const wire =
      META +
      event('replace_response', { text: 'Generating (3s elapsed)' }) +
      event('file', { url: 'https://pfst.cf2.poecdn.net/base/image/abc', content_type: 'image/png', name: 'cat.png', inline_ref: 'ref1' }) +
      event('replace_response', { text: 'Your cat: ![cat.png][ref1]' }) +
      DONE;
    const events = await decode(wire);
    assert.deepEqual(events.find((item) => item.type === 'file'), { type: 'file', url: 'https://pfst.cf2.poecdn.net/base/image/abc', mediaType: 'image/png', name: 'cat.png' });
    assert.equal(textOf(events), 'Your cat: ');
  });

  it('reads file events as fastapi_poe serializes them (inline_ref null), and an error after a file is not retryable', async () => {
    const file = event('file', { url: 'https://pfst.cf2.poecdn.net/base/image/f', content_type: 'image/png', name: 'f.png', inline_ref: null });
    const events = await decode(META + file + event('text', { text: 'Done: ![f.png][null]' }) + DONE);
    assert.deepEqual(events.find((item) => item.type === 'file'), { type: 'file', url: 'https://pfst.cf2.poecdn.net/base/image/f', mediaType: 'image/png', name: 'f.png' });
    assert.equal(textOf(events), 'Done: ![f.png][null]');
    const failed = await decode(META + file + event('error', { allow_retry: true, text: 'Internal server error' }) + DONE);
    assert.deepEqual(failed.map((item) => item.type), ['response-start', 'file', 'error']);
    const last = failed.at(-1);
    assert.equal(last?.type === 'error' && last.error.retryable, false, 'the file already reached the client');
  });

  it('appends a link definition for a reference to a file that came after the text', async () => {
    const wire = META + event('text', { text: 'See ![img][r9]' }) + event('file', { url: 'https://cdn.example/i.png', content_type: 'image/png', name: 'i.png', inline_ref: 'r9' }) + DONE;
    assert.equal(textOf(await decode(wire)), 'See ![img][r9]\n\n[r9]: https://cdn.example/i.png');
  });

  it('maps error events: insufficient_fund → 402, user errors → 400, others → retryable 502 before output', async () => {
    const fund = (await decode(META + event('error', { allow_retry: false, text: 'No points', error_type: 'insufficient_fund' }) + DONE)).at(-1);
    assert.equal(fund?.type === 'error' && fund.error.status, 402);
    assert.equal(fund?.type === 'error' && fund.error.retryable, false);
    const user = await decode(META + event('error', { allow_retry: false, text: 'Too long', error_type: 'user_message_too_long' }) + DONE);
    assert.equal(user.length, 1, 'a failure before output is the first event, so routing can act on it');
    assert.equal(user[0]?.type === 'error' && user[0].error.status, 400);
    assert.match(user[0]?.type === 'error' ? user[0].error.message : '', /TestBot.*user_message_too_long.*Too long/);
    const retry = (await decode(META + event('error', { allow_retry: true, text: 'Internal server error' }) + DONE))[0];
    assert.equal(retry?.type === 'error' && retry.error.status, 502);
    assert.equal(retry?.type === 'error' && retry.error.retryable, true);
    const noRetry = (await decode(META + event('error', { allow_retry: false, text: 'Bot broke' }) + DONE))[0];
    assert.equal(noRetry?.type === 'error' && noRetry.error.retryable, false);
    const late = await decode(META + event('text', { text: 'Partial' }) + event('error', { allow_retry: true, text: 'oops' }) + DONE);
    assert.deepEqual(late.slice(0, 4).map((item) => item.type), ['response-start', 'text-start', 'text-delta', 'text-end']);
    assert.equal(late.at(-1)?.type === 'error' && late.at(-1)?.type === 'error' && (late.at(-1) as { error: { retryable: boolean } }).error.retryable, false);
  });

  it('a stream that ends without done is an error, not a silent success', async () => {
    const events = await decode(META + event('text', { text: 'Half an ans' }));
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.match(last?.type === 'error' ? last.error.message : '', /without 'done'/);
    assert.equal(textOf(events), 'Half an ans');
    const empty = await decode(META);
    assert.equal(empty.length, 1);
    assert.equal(empty[0]?.type === 'error' && empty[0].error.retryable, true);
  });

  it('a bot that is done without any answer is an error; invalid JSON is an error', async () => {
    const none = await decode(META + DONE);
    assert.match(none[0]?.type === 'error' ? none[0].error.message : '', /sent no response/);
    const bad = await decode(META + 'event: text\r\ndata: {not json\r\n\r\n' + DONE);
    assert.match(bad[0]?.type === 'error' ? bad[0].error.message : '', /invalid JSON/);
    assert.equal(bad[0]?.type === 'error' && bad[0].error.retryable, false, 'as fastapi_poe, a bot sending invalid JSON is not retried');
  });

  it('answers with the first response of multi-response bots and ignores unknown events', async () => {
    const wire =
      META +
      event('text', { text: 'A', index: 0 }) +
      event('text', { text: 'B', index: 1 }) +
      event('data', { metadata: 'x' }) +
      'event: ping\r\ndata: 2024-05-01 10:00:00.123456\r\n\r\n' +
      event('suggested_reply', { text: 'More?' }) +
      DONE;
    assert.equal(textOf(await decode(wire)), 'A');
  });

  it('gives the same events fed all at once, one byte at a time and cut mid-line and mid-character', () => {
    const newDecoder = (): PoeBotStreamDecoder => new PoeBotStreamDecoder({ botName: 'TestBot', mode: 'stream', log, url: 'http://127.0.0.1/bot/TestBot' });
    const chunk = (delta: unknown, finish: string | null = null): string => event('json', { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    const wire =
      META +
      event('text', { text: '*Thinking...*\n\n> Der Nutzer' }) +
      'event: text\r\ndata: {"text": " möchte 天気.\\n\\n"}\r\n\r\n' +
      ': ping - 2025-06-01 10:00:00.000000+00:00\r\n\r\n' +
      'event: replace_response\ndata: {"text": "Grüße 👋 ![cat.png][ref1]"}\n\n' +
      event('file', { url: 'https://pfst.cf2.poecdn.net/base/image/abc', content_type: 'image/png', name: 'cat.png', inline_ref: 'ref1' }) +
      chunk({ tool_calls: [{ index: 0, id: 'call_123', type: 'function', function: { name: 'get_weather', arguments: '' } }] }) +
      'event: json\rdata: {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{\\"city\\": \\"Zürich\\"}"}}]}}]}\r\r' +
      chunk({}, 'tool_calls') +
      DONE;
    const decoded = decodeEverySplit(newDecoder, wire);
    assert.equal(reasoningOf(decoded.events), '*Thinking...*\nDer Nutzer möchte 天気.\n');
    assert.deepEqual(
      decoded.events.map((item) => item.type),
      // The replaced text is held until `done` (it may be replaced again).
      ['response-start', 'reasoning-start', 'reasoning-delta', 'reasoning-delta', 'reasoning-delta', 'reasoning-end', 'file', 'tool-call-start', 'tool-call-delta', 'tool-call-end', 'text-start', 'text-delta', 'text-end', 'finish'],
    );
    assert.equal(textOf(decoded.events), 'Grüße 👋 ');
    assert.deepEqual(decoded.events.find((item) => item.type === 'tool-call-delta'), { type: 'tool-call-delta', id: '1', argumentsDelta: '{"city": "Zürich"}' });
    assert.deepEqual(decoded.byByte.fromEnd, []);
    const failed = decodeEverySplit(newDecoder, META + 'event: text\r\ndata: {"text": "Halb 👋"}\r\n\r\n' + event('error', { allow_retry: true, text: 'Überlastet' }));
    assert.deepEqual(failed.events.map((item) => item.type), ['response-start', 'text-start', 'text-delta', 'text-end', 'error']);
    assert.deepEqual(failed.byByte.fromEnd, []);
    const cut = decodeEverySplit(newDecoder, META + 'event: text\r\ndata: {"text": "Halb 👋"}\r\n\r\n');
    assert.deepEqual(cut.fromEnd.map((item) => item.type), ['text-end', 'error']);
  });

  it('gives an error as the key pool reports it', () => {
    const reported: string[] = [];
    const decoder = new PoeBotStreamDecoder({
      botName: 'TestBot',
      mode: 'stream',
      log,
      url: 'x',
      reportError: (error) => {
        reported.push(error.message);
        return new GatewayError('rate_limit', 'rested');
      },
    });
    const events = decodeChunks(decoder, [META + event('error', { allow_retry: false, text: 'No points', error_type: 'insufficient_fund' })]);
    assert.equal(reported.length, 1);
    assert.deepEqual(events.map((item) => (item.type === 'error' ? item.error.message : item.type)), ['rested']);
  });

  it('splits the reasoning progress of thinking bots from the answer, over the wire', async () => {
    const wire = META + event('text', { text: '*Thinking...*\n\n> The user' }) + event('text', { text: ' wants a haiku.\n\n' }) + event('text', { text: 'Autumn moonlight' }) + DONE;
    const events = await decode(wire);
    assert.equal(reasoningOf(events), '*Thinking...*\nThe user wants a haiku.\n');
    assert.equal(textOf(events), 'Autumn moonlight');
  });
});
