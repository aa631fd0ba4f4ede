import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { GatewayError } from '../../canonical/gateway-error.ts';
import { convertChatRequestToOpenAICompatible } from '../openai-compatible/convert-chat-request-to-openai-compatible.ts';
import { resolveOpenAICompatibleDialect } from '../openai-compatible/openai-compatible-dialect.ts';
import { decodeOpenAICompatibleStream } from '../openai-compatible/openai-compatible-stream-decoder.ts';
import { cerebrasSseBody, loadCerebrasFixture } from '../../../test-support/fake-cerebras-upstream.ts';
import { CEREBRAS_DEFAULT_BASE_URL, CEREBRAS_DIALECT } from './cerebras-dialect.ts';

const cerebras = resolveOpenAICompatibleDialect(CEREBRAS_DIALECT);

function request(fields: Partial<ChatRequest>): ChatRequest {
  return { model: 'gpt-oss-120b', messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: true, ...fields };
}

async function decode(parts: readonly (string | Uint8Array)[]): Promise<ChatStreamEvent[]> {
  async function* source(): AsyncGenerator<string | Uint8Array> {
    yield* parts;
  }
  const events: ChatStreamEvent[] = [];
  for await (const event of decodeOpenAICompatibleStream(source(), cerebras, `${CEREBRAS_DEFAULT_BASE_URL}/chat/completions`)) events.push(event);
  return events;
}

/** Cuts `STRIDE` bytes apart: each pass splits the body at many places at once. */
const STRIDE = 97;

/**
 * Asserts that the body gives `expected` however it is split: pass `offset` cuts the bytes at
 * offset, offset + STRIDE, offset + 2·STRIDE…, so over all passes every byte position is a split
 * point (mid-line and mid-character included) for a fraction of the cost of one decode per position.
 */
async function assertEverySplit(body: string, expected: ChatStreamEvent[]): Promise<void> {
  const encoded = new TextEncoder().encode(body);
  for (let offset = 0; offset < STRIDE; offset++) {
    const pieces: Uint8Array[] = [];
    let start = 0;
    for (let cut = offset; cut < encoded.length; cut += STRIDE) {
      pieces.push(encoded.subarray(start, cut));
      start = cut;
    }
    pieces.push(encoded.subarray(start));
    assert.deepEqual(await decode(pieces), expected, `cuts every ${STRIDE} bytes from byte ${offset}`);
  }
  assert.deepEqual(await decode([...encoded].map((byte) => Uint8Array.of(byte))), expected, 'one byte at a time');
}

function joined(events: ChatStreamEvent[], type: 'text-delta' | 'reasoning-delta'): string {
  return events.map((event) => (event.type === type ? event.text : '')).join('');
}

describe('Cerebras dialect: requests', () => {
  it('sends max_completion_tokens and Cerebras reasoning efforts', () => {
    const effort = (value: NonNullable<ChatRequest['reasoning']>['effort'], model = 'gpt-oss-120b'): unknown =>
      convertChatRequestToOpenAICompatible(request({ model, reasoning: { effort: value } }), cerebras).body.reasoning_effort;
    // gpt-oss takes low|medium|high only: it cannot stop reasoning, so `none` is sent as `low`.
    assert.deepEqual([effort('none'), effort('minimal'), effort('low'), effort('medium'), effort('high'), effort('max')], ['low', 'low', 'low', 'medium', 'high', 'high']);
    assert.deepEqual([effort('none', 'zai-glm-4.7'), effort('none', 'qwen-3.8-27b'), effort('high', 'some-new-model')], ['none', 'none', 'high']);
    assert.deepEqual([effort('high', 'llama3.1-8b'), effort('none', 'qwen-3-235b-a22b-instruct-2507')], [undefined, undefined], 'models that do not reason get none');
    const declared = convertChatRequestToOpenAICompatible(request({ reasoning: { effort: 'none' } }), cerebras).degraded;
    assert.deepEqual(declared, [{ field: 'reasoning_effort', reason: "'none' sent as 'low': gpt-oss-120b takes low|medium|high" }]);
    assert.deepEqual(convertChatRequestToOpenAICompatible(request({ model: 'llama3.1-8b', reasoning: { effort: 'high' } }), cerebras).degraded, [
      { field: 'reasoning_effort', reason: "'high' dropped: llama3.1-8b does not reason" },
    ]);
    const { body } = convertChatRequestToOpenAICompatible(request({ maxTokens: 1024 }), cerebras);
    assert.equal(body.max_completion_tokens, 1024);
    assert.equal(body.max_tokens, undefined);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('drops OpenAI fields Cerebras does not know, declaring them, and keeps its own', () => {
    const { body, degraded } = convertChatRequestToOpenAICompatible(
      request({
        unmappedFields: {
          store: true,
          metadata: { a: '1' },
          modalities: ['text'],
          audio: { voice: 'alloy' },
          verbosity: 'low',
          prediction: { type: 'content', content: 'x' },
          service_tier: 'scale',
          n: 2,
          reasoning_format: 'parsed',
          disable_reasoning: false,
          clear_thinking: true,
          prompt_cache_key: 'conv-1',
        },
      }),
      cerebras,
    );
    assert.deepEqual(
      degraded.map((entry) => entry.field),
      ['store', 'metadata', 'modalities', 'audio', 'verbosity', 'service_tier', 'n'],
    );
    // Predicted outputs are Cerebras's too (SDK 1.91 `prediction`).
    assert.deepEqual(body.prediction, { type: 'content', content: 'x' });
    assert.equal(body.reasoning_format, 'parsed');
    assert.equal(body.disable_reasoning, false);
    assert.equal(body.clear_thinking, true);
    assert.equal(body.prompt_cache_key, 'conv-1');
    assert.equal(convertChatRequestToOpenAICompatible(request({ unmappedFields: { service_tier: 'flex' } }), cerebras).body.service_tier, 'flex');
  });

  it('sends earlier reasoning back in `reasoning`, and refuses file inputs', () => {
    const pdf = { role: 'user' as const, parts: [{ type: 'file' as const, source: { kind: 'base64' as const, mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf' }] };
    assert.throws(() => convertChatRequestToOpenAICompatible(request({ messages: [pdf] }), cerebras), /file 'a\.pdf' cannot be sent/);
    const { body, degraded } = convertChatRequestToOpenAICompatible(
      request({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Sum up' }] },
          { role: 'assistant', parts: [{ type: 'reasoning', text: 'It is a PDF.' }, { type: 'text', text: 'I cannot read it.' }] },
        ],
      }),
      cerebras,
    );
    assert.deepEqual(body.messages, [
      { role: 'user', content: 'Sum up' },
      { role: 'assistant', content: 'I cannot read it.', reasoning: 'It is a PDF.' },
    ]);
    assert.deepEqual(degraded, []);
  });

  it('defaults to the Cerebras API and adds /v1 to a bare origin', () => {
    assert.equal(cerebras.defaultBaseUrl, 'https://api.cerebras.ai/v1');
    assert.equal(cerebras.normalizeBaseUrl('https://api.cerebras.ai'), 'https://api.cerebras.ai/v1');
    assert.equal(cerebras.normalizeBaseUrl('https://api.cerebras.ai/'), 'https://api.cerebras.ai/v1');
    assert.equal(cerebras.normalizeBaseUrl('http://127.0.0.1:8080/v1/'), 'http://127.0.0.1:8080/v1');
    assert.equal(cerebras.embeddings, false);
  });
});

describe('Cerebras dialect: recorded-style streams', () => {
  it('decodes gpt-oss reasoning, text, usage and time_info, whatever byte the body is split at', async () => {
    const expected: ChatStreamEvent[] = [
      { type: 'response-start', id: 'chatcmpl-5f1c2e0a-8d7b-4c39-9a51-0b6a2f4e7d13', model: 'gpt-oss-120b', created: 1754550000, systemFingerprint: 'fp_9a3c1d2b7e' },
      { type: 'reasoning-start', id: '0' },
      ...['The user', ' greets in German', ' and Chinese.', ' Answer', ' briefly', ' in both.'].map((text): ChatStreamEvent => ({ type: 'reasoning-delta', id: '0', text })),
      { type: 'reasoning-end', id: '0' },
      { type: 'text-start', id: '1' },
      ...['Hallo', ' 👋', ' —', ' 你好', '！', ' Schön,', ' dass du', ' da bist.'].map((text): ChatStreamEvent => ({ type: 'text-delta', id: '1', text })),
      { type: 'text-end', id: '1' },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'stop',
        usage: {
          input: { total: 81, cacheRead: 64 },
          output: { total: 34, reasoning: 14 },
          source: 'upstream',
          raw: { prompt_tokens: 81, completion_tokens: 34, total_tokens: 115, completion_tokens_details: { reasoning_tokens: 14 }, prompt_tokens_details: { cached_tokens: 64 } },
        },
        timing: { queueMs: 0.000211736 * 1000, promptMs: 0.002133931 * 1000, completionMs: 0.016402917 * 1000, totalMs: 0.020383358047485352 * 1000, source: 'upstream' },
      },
    ];
    await assertEverySplit(cerebrasSseBody(loadCerebrasFixture('gpt-oss-reasoning')), expected);
  });

  it('turns Qwen <think> content into reasoning, the tags split over chunks, at every byte split', async () => {
    const body = cerebrasSseBody(loadCerebrasFixture('qwen-think-tags'));
    const events = await decode([body]);
    assert.equal(joined(events, 'reasoning-delta'), 'The user wants a haiku about autumn. 5-7-5.');
    assert.equal(joined(events, 'text-delta'), 'Crisp leaves drift and fall,\namber light on quiet paths—\nthe year exhales slow.');
    assert.deepEqual(
      events.filter((event) => event.type.endsWith('-start') || event.type.endsWith('-end')).map((event) => event.type),
      ['response-start', 'reasoning-start', 'reasoning-end', 'text-start', 'text-end'],
    );
    assert.deepEqual(events.at(-1), {
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { input: { total: 19, cacheRead: 0 }, output: { total: 42 }, source: 'upstream', raw: { prompt_tokens: 19, completion_tokens: 42, total_tokens: 61, prompt_tokens_details: { cached_tokens: 0 } } },
      timing: { queueMs: 0.000187201 * 1000, promptMs: 0.000903114 * 1000, completionMs: 0.021655305 * 1000, totalMs: 0.02404618263244629 * 1000, source: 'upstream' },
    });
    await assertEverySplit(body, events);
  });

  it('assembles tool calls whose arguments come in fragments, at every byte split', async () => {
    const body = cerebrasSseBody(loadCerebrasFixture('tool-calls'));
    const events = await decode([body]);
    const calls = new Map<string, { id: string; name: string; arguments: string }>();
    for (const event of events) {
      if (event.type === 'tool-call-start') calls.set(event.id, { id: event.toolCallId, name: event.name, arguments: '' });
      if (event.type === 'tool-call-delta') {
        const call = calls.get(event.id);
        if (call !== undefined) call.arguments += event.argumentsDelta;
      }
    }
    assert.deepEqual([...calls.values()], [
      { id: 'call_7f3a9c2e41b8d05e6a1f', name: 'get_weather', arguments: '{"city": "Paris", "unit": "celsius"}' },
      { id: 'call_0b2e8d4f6a9c1e3b5d7f', name: 'get_weather', arguments: '{"city": "東京", "unit": "celsius"}' },
    ]);
    assert.equal(joined(events, 'reasoning-delta'), 'Need weather for Paris and Tokyo; call the tool twice.');
    const finish = events.at(-1);
    assert.equal(finish?.type === 'finish' && finish.finishReason, 'tool-calls');
    // Blocks are sequential: the first call ends before the second starts.
    assert.deepEqual(
      events.filter((event) => event.type.startsWith('tool-call-') && event.type !== 'tool-call-delta').map((event) => event.type),
      ['tool-call-start', 'tool-call-end', 'tool-call-start', 'tool-call-end'],
    );
    await assertEverySplit(body, events);
  });

  it('turns a mid-stream error chunk into an error event after the text so far', async () => {
    const events = await decode([cerebrasSseBody(loadCerebrasFixture('mid-stream-error'))]);
    assert.equal(joined(events, 'text-delta'), 'Once upon a');
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    const error = (last as { error: GatewayError }).error;
    assert.equal(error.kind, 'upstream');
    assert.equal(error.upstreamStatus, 500);
    assert.equal(error.code, 'internal_error');
    assert.equal(error.message, 'Internal server error encountered while generating. Please retry.');
  });

  it('reports a stream cut before its final chunk as an error, and accepts one missing only [DONE]', async () => {
    const lines = loadCerebrasFixture('gpt-oss-reasoning');
    const cut = await decode([cerebrasSseBody(lines.slice(0, -2))]);
    assert.equal(cut.at(-1)?.type, 'error');
    assert.equal(cut.filter((event) => event.type === 'finish').length, 0);
    const noDone = await decode([cerebrasSseBody(lines.slice(0, -1))]);
    assert.equal(noDone.at(-1)?.type, 'finish');
  });
});
