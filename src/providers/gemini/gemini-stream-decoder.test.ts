import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { decodeEverySplit } from '../../../test-support/decode-every-split.ts';
import { decodeChunks } from '../shared/chat-stream-decoder.ts';
import { GeminiStreamDecoder } from './gemini-stream-decoder.ts';

const head = { modelVersion: 'gemini-3-pro-preview', responseId: 'r1' };
const event = (value: unknown): string => `data: ${JSON.stringify(value)}\r\n\r\n`;
const STREAM =
  event({ candidates: [{ content: { role: 'model', parts: [{ text: 'Plan: call', thought: true }] }, index: 0 }], ...head }) +
  event({ candidates: [{ content: { role: 'model', parts: [{ text: ' the tool.', thought: true, thoughtSignature: 'c2lnLXRob3VnaHQ=' }] }, index: 0 }], ...head }) +
  event({ candidates: [{ content: { role: 'model', parts: [{ text: 'Checking Zürich' }] }, index: 0 }], ...head }) +
  event({
    candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Zürich' } }, thoughtSignature: 'c2lnLWNhbGw=' }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 8, thoughtsTokenCount: 30, cachedContentTokenCount: 4, totalTokenCount: 58 },
    ...head,
  });

async function decode(chunks: (string | Uint8Array)[]): Promise<ChatStreamEvent[]> {
  const signed: [string, string][] = [];
  const events = decodeChunks(new GeminiStreamDecoder({ providerId: 'g', onSignedToolCall: (call, signature) => signed.push([call.id, signature]) }), chunks);
  const start = events.find((item) => item.type === 'tool-call-start');
  if (start?.type === 'tool-call-start') assert.deepEqual(signed, [[start.toolCallId, 'c2lnLWNhbGw=']]);
  return events.map((item) => (item.type === 'tool-call-start' ? { ...item, toolCallId: 'ID' } : item));
}

const EXPECTED: ChatStreamEvent[] = [
  { type: 'response-start', id: 'r1', model: 'gemini-3-pro-preview' },
  { type: 'reasoning-start', id: '0' },
  { type: 'reasoning-delta', id: '0', text: 'Plan: call' },
  { type: 'reasoning-delta', id: '0', text: ' the tool.' },
  { type: 'reasoning-end', id: '0', metadata: { provider: 'gemini', signature: 'c2lnLXRob3VnaHQ=' } },
  { type: 'text-start', id: '1' },
  { type: 'text-delta', id: '1', text: 'Checking Zürich' },
  { type: 'text-end', id: '1' },
  { type: 'tool-call-start', id: '2', toolCallId: 'ID', name: 'get_weather', metadata: { provider: 'gemini', signature: 'c2lnLWNhbGw=' } },
  { type: 'tool-call-delta', id: '2', argumentsDelta: '{"city":"Zürich"}' },
  { type: 'tool-call-end', id: '2' },
  {
    type: 'finish',
    finishReason: 'tool-calls',
    rawFinishReason: 'STOP',
    usage: {
      input: { total: 20, cacheRead: 4 },
      output: { total: 38, reasoning: 30 },
      source: 'upstream',
      raw: { promptTokenCount: 20, candidatesTokenCount: 8, thoughtsTokenCount: 30, cachedContentTokenCount: 4, totalTokenCount: 58 },
    },
  },
];

describe('GeminiStreamDecoder', () => {
  it('turns thoughts, text and a signed function call into blocks with the signatures as gemini metadata', async () => {
    assert.deepEqual(await decode([STREAM]), EXPECTED);
  });

  it('gives the same events however the bytes are split, mid-line, mid-CRLF and mid-character', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const umlaut = new TextEncoder().encode(STREAM.slice(0, STREAM.indexOf('ü'))).length;
    const crlf = new TextEncoder().encode(STREAM.slice(0, STREAM.indexOf('\r\n'))).length;
    const points = [3, crlf + 1, umlaut + 1, bytes.length - 2];
    const pieces: Uint8Array[] = [];
    let start = 0;
    for (const point of points) {
      pieces.push(bytes.slice(start, point));
      start = point;
    }
    pieces.push(bytes.slice(start));
    assert.deepEqual(await decode(pieces), EXPECTED);
    assert.deepEqual(await decode([...bytes].map((byte) => Uint8Array.of(byte))), EXPECTED);
  });

  it('gives the same events fed all at once, one byte at a time and cut mid-line and mid-character', () => {
    const normalize = (events: ChatStreamEvent[]): ChatStreamEvent[] => events.map((item) => (item.type === 'tool-call-start' ? { ...item, toolCallId: 'ID' } : item));
    const newDecoder = (): GeminiStreamDecoder => new GeminiStreamDecoder({ providerId: 'g' });
    const whole = decodeEverySplit(newDecoder, STREAM, normalize);
    assert.deepEqual(normalize(whole.events), EXPECTED);
    // Gemini has no last event: the finish comes with the end of the body.
    assert.deepEqual(whole.byByte.fromEnd.map((item) => item.type), ['finish']);
    const media =
      event({ candidates: [{ content: { parts: [{ text: 'Ein Bild für dich: ' }] } }], ...head }) +
      ': keep-alive\r\n\r\n' +
      event({ candidates: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] } }], ...head }) +
      event({ candidates: [{ content: { parts: [{ text: '', thoughtSignature: 'c2lnLWJpbGQ=' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 }, ...head }) +
      'data: [DONE]\r\n\r\n';
    const withFile = decodeEverySplit(newDecoder, media);
    assert.deepEqual(
      withFile.events.map((item) => item.type),
      ['response-start', 'text-start', 'text-delta', 'text-end', 'file', 'reasoning-start', 'reasoning-end', 'finish'],
    );
    const failed = decodeEverySplit(newDecoder, event({ candidates: [{ content: { parts: [{ text: 'Grüß' }] } }], ...head }) + event({ error: { code: 503, message: 'Überlastet', status: 'UNAVAILABLE' } }));
    assert.deepEqual(failed.events.map((item) => item.type), ['response-start', 'text-start', 'text-delta', 'text-end', 'error']);
    assert.deepEqual(failed.byByte.fromEnd, []);
  });

  it('decodes a whole generateContent answer, and a body that is not JSON ends in an error', () => {
    const decoder = new GeminiStreamDecoder({ providerId: 'g' });
    const events = [...decoder.pushResponse({ candidates: [{ content: { parts: [{ text: 'Hallo' }] }, finishReason: 'STOP' }], ...head }), ...decoder.end()];
    assert.deepEqual(events.map((item) => item.type), ['response-start', 'text-start', 'text-delta', 'text-end', 'finish']);
    const garbage = decodeChunks(new GeminiStreamDecoder({ providerId: 'g' }), ['data: {"candidates": [\r\n\r\n']);
    assert.deepEqual(garbage.map((item) => item.type), ['response-start', 'error']);
    assert.match(garbage[1]?.type === 'error' ? garbage[1].error.message : '', /provider 'g' sent an event that is not JSON/);
  });

  it('keeps a signature that comes on an empty last text part with the text it signs', async () => {
    const events = await decode([
      event({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }], ...head }),
      event({ candidates: [{ content: { parts: [{ text: '', thoughtSignature: 'dGV4dA==' }] }, finishReason: 'STOP' }], ...head }),
    ]);
    assert.deepEqual(events.find((item) => item.type === 'text-end'), { type: 'text-end', id: '0', metadata: { provider: 'gemini', signature: 'dGV4dA==' } });
  });

  it('reports a blocked prompt as an error naming the reason, not an empty answer', async () => {
    const events = await decode([event({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 9 }, ...head })]);
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    if (last?.type !== 'error') return;
    assert.equal(last.error.status, 400);
    assert.equal(last.error.code, 'content_filter');
    assert.match(last.error.message, /^Gemini blocked the prompt \(blockReason PROHIBITED_CONTENT\)/);
  });

  it('maps finish reasons: MAX_TOKENS is length, SAFETY after output is content-filter, SAFETY before any output an error', async () => {
    const finish = async (reason: string, text: string): Promise<ChatStreamEvent | undefined> =>
      (await decode([event({ candidates: [{ content: { parts: text === '' ? [] : [{ text }] }, finishReason: reason }], ...head })])).at(-1);
    assert.deepEqual(await finish('MAX_TOKENS', 'a'), { type: 'finish', finishReason: 'length', rawFinishReason: 'MAX_TOKENS' });
    assert.deepEqual(await finish('SAFETY', 'a'), { type: 'finish', finishReason: 'content-filter', rawFinishReason: 'SAFETY' });
    const blocked = await finish('SAFETY', '');
    assert.match(blocked?.type === 'error' ? blocked.error.message : '', /^Gemini stopped the answer before any output \(finishReason SAFETY\)/);
    const malformed = await finish('MALFORMED_FUNCTION_CALL', '');
    assert.equal(malformed?.type === 'error' ? malformed.error.kind : undefined, 'upstream');
  });

  it('ends with an error on an error object inside the stream, and on a stream with no finish reason', async () => {
    const inBand = await decode([event({ candidates: [{ content: { parts: [{ text: 'a' }] } }], ...head }), event({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })]);
    const last = inBand.at(-1);
    assert.equal(last?.type === 'error' ? last.error.kind : undefined, 'overloaded');
    const cut = await decode([event({ candidates: [{ content: { parts: [{ text: 'a' }] } }], ...head })]);
    assert.equal(cut.at(-1)?.type, 'error');
  });
});
