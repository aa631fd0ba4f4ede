import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { anthropicStreamBlocks, anthropicStreamEnd, anthropicStreamHead, fakeThinkingSignature, sseEvent, type FakeAnthropicAnswer } from '../../../test-support/fake-anthropic-answer.ts';
import { decodeEverySplit } from '../../../test-support/decode-every-split.ts';
import { collectChatResponse } from '../collect-chat-response.ts';
import { decodeChunks } from '../shared/chat-stream-decoder.ts';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.ts';

const usage = { input_tokens: 12, output_tokens: 30, cache_creation_input_tokens: 5, cache_read_input_tokens: 100 };
const answer: FakeAnthropicAnswer = {
  blocks: [
    { type: 'thinking', thinking: 'Der Nutzer möchte 天気.' },
    { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
    { type: 'text', text: 'Prüfe 🌦 jetzt.' },
    { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Zürich' } },
  ],
};
const body = [...anthropicStreamHead(answer, 'claude-sonnet-4-6', usage), ...anthropicStreamBlocks(answer), ...anthropicStreamEnd(answer, usage)].join('');

async function decode(chunks: (string | Uint8Array)[]): Promise<ChatStreamEvent[]> {
  return decodeChunks(new AnthropicStreamDecoder(), chunks);
}

describe('AnthropicStreamDecoder', () => {
  it('keeps server tool blocks and citations whole, and the stop sequence that matched', async () => {
    const citation = { type: 'web_search_result_location', url: 'https://example.com', title: 'Example', encrypted_index: 'Eo8B', cited_text: 'Example' };
    const search: FakeAnthropicAnswer = {
      blocks: [
        { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'Zürich weather' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01', content: [{ type: 'web_search_result', url: 'https://example.com', title: 'Example', encrypted_content: 'Eq', page_age: null }] },
        { type: 'text', text: 'Sunny.', citations: [citation] },
      ],
      stopReason: 'stop_sequence',
      stopSequence: 'END',
    };
    const stream = [...anthropicStreamHead(search, 'claude-sonnet-4-6', usage), ...anthropicStreamBlocks(search), ...anthropicStreamEnd(search, usage)].join('');
    const bytes = Buffer.from(stream, 'utf8');
    // Split every 5 bytes: lines and the ü are cut in the middle.
    const chunks: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += 5) chunks.push(bytes.subarray(offset, offset + 5));
    const response = await collectChatResponse(
      (async function* () {
        yield* await decode(chunks);
      })(),
    );
    assert.deepEqual(response.parts, [
      { type: 'provider-block', provider: 'anthropic', block: { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'Zürich weather' } } },
      { type: 'provider-block', provider: 'anthropic', block: search.blocks[1] },
      { type: 'text', text: 'Sunny.', metadata: { provider: 'anthropic', citations: [citation] } },
    ]);
    assert.equal(response.finishReason, 'stop');
    assert.equal(response.rawFinishReason, 'stop_sequence');
    assert.equal(response.stopSequence, 'END');
  });

  it('turns the API\'s events into canonical blocks with signatures, redacted data, tool arguments and usage', async () => {
    const events = await decode([body]);
    assert.deepEqual(events[0], { type: 'response-start', id: 'msg_01FakeAnthropicMessage0001', model: 'claude-sonnet-4-6', serviceTier: 'standard' });
    assert.deepEqual(events[1], { type: 'input-usage', input: { total: 117, cacheRead: 100, cacheWrite: 5 } });
    const ends = events.filter((event) => event.type === 'reasoning-end');
    assert.deepEqual(ends, [
      { type: 'reasoning-end', id: '0', metadata: { provider: 'anthropic', signature: fakeThinkingSignature('Der Nutzer möchte 天気.') } },
      { type: 'reasoning-end', id: '1', metadata: { provider: 'anthropic', encrypted: 'EmwKAhgBEgy3va3pzix' } },
    ]);
    const text = events.filter((event) => event.type === 'text-delta').map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
    assert.equal(text, 'Prüfe 🌦 jetzt.');
    const args = events.filter((event) => event.type === 'tool-call-delta').map((event) => (event.type === 'tool-call-delta' ? event.argumentsDelta : '')).join('');
    assert.deepEqual(JSON.parse(args), { city: 'Zürich' });
    const finish = events.at(-1);
    assert.ok(finish?.type === 'finish');
    assert.equal(finish.finishReason, 'tool-calls');
    assert.equal(finish.rawFinishReason, 'tool_use');
    assert.deepEqual({ input: finish.usage?.input, output: finish.usage?.output }, { input: { total: 117, cacheRead: 100, cacheWrite: 5 }, output: { total: 30 } });
    // Blocks strictly one after another.
    let open: string | undefined;
    for (const event of events) {
      if (event.type.endsWith('-start') && event.type !== 'response-start') {
        assert.equal(open, undefined);
        open = (event as { id: string }).id;
      } else if (event.type.endsWith('-end')) {
        assert.equal((event as { id: string }).id, open);
        open = undefined;
      }
    }
  });

  it('gives the same events for every split of the bytes, mid-line and mid-character', async () => {
    const bytes = Buffer.from(body, 'utf8');
    const expected = await decode([body]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      assert.deepEqual(await decode([bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `split at byte ${cut}`);
    }
  });

  it('gives the same events fed all at once, one byte at a time and cut mid-line and mid-character, each as soon as its event is complete', () => {
    const citation = { type: 'char_location', cited_text: 'Grüße 🌦', document_index: 0, start_char_index: 0, end_char_index: 8 };
    const cited: FakeAnthropicAnswer = { blocks: [{ type: 'text', text: 'Grüße 🌦 aus Zürich.', citations: [citation] }] };
    const ping = 'event: ping\r\ndata: {"type": "ping"}\r\n\r\n';
    const crlf = [...anthropicStreamHead(cited, 'claude-sonnet-4-6', usage), ping, ...anthropicStreamBlocks(cited), ...anthropicStreamEnd(cited, usage)].join('').replaceAll('\n', '\r\n');
    for (const stream of [body, crlf]) {
      const decoded = decodeEverySplit(() => new AnthropicStreamDecoder(), stream);
      assert.equal(decoded.events.at(-1)?.type, 'finish');
      // message_stop ends the stream: the finish comes with the chunk that completes it, not from the end of the body.
      assert.deepEqual(decoded.byByte.fromEnd, []);
      assert.ok(decoded.byByte.batches > 5);
    }
    const cut = decodeEverySplit(() => new AnthropicStreamDecoder(), anthropicStreamHead(answer, 'm', usage).join('') + anthropicStreamBlocks(answer).join(''));
    assert.deepEqual(cut.fromEnd.map((event) => event.type), ['error']);
    const failed = decodeEverySplit(() => new AnthropicStreamDecoder(), anthropicStreamHead(answer, 'm', usage).join('') + sseEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Überlastet' } }));
    assert.deepEqual(failed.events.map((event) => event.type), ['response-start', 'input-usage', 'error']);
    assert.deepEqual(failed.byByte.fromEnd, []);
  });

  it('puts what the request lost on the way on the response start', () => {
    const degraded = [{ field: 'logprobs', reason: 'Anthropic has no log probabilities' }];
    const events = decodeChunks(new AnthropicStreamDecoder(degraded), [body]);
    assert.deepEqual(events[0], { type: 'response-start', id: 'msg_01FakeAnthropicMessage0001', model: 'claude-sonnet-4-6', serviceTier: 'standard', degraded });
  });

  it('ends with an error: an error event, a stream cut before message_stop, a body that is not SSE JSON', async () => {
    const failed = await decode([anthropicStreamHead(answer, 'm', usage).join(''), sseEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })]);
    const last = failed.at(-1);
    assert.ok(last?.type === 'error');
    assert.equal(last.error.kind, 'overloaded');
    const cut = await decode([anthropicStreamHead(answer, 'm', usage).join('') + anthropicStreamBlocks(answer).join('')]);
    assert.equal(cut.at(-1)?.type, 'error');
    assert.equal(cut.filter((event) => event.type === 'finish').length, 0);
    const garbage = await decode(['event: message_start\ndata: {"type":"message_start"\n\n']);
    assert.equal(garbage.at(-1)?.type, 'error');
  });
});
