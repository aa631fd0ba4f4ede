import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { resolveOpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import { decodeOpenAICompatibleStream, OpenAICompatibleStreamDecoder, type StreamDecoderDialect } from './openai-compatible-stream-decoder.ts';

const generic = resolveOpenAICompatibleDialect({});

async function* bytes(parts: readonly (string | Uint8Array)[]): AsyncGenerator<Uint8Array | string> {
  yield* parts;
}

async function decode(parts: readonly (string | Uint8Array)[], dialect: StreamDecoderDialect = generic): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of decodeOpenAICompatibleStream(bytes(parts), dialect, 'http://127.0.0.1:1/v1/chat/completions')) events.push(event);
  return events;
}

function sse(...chunks: unknown[]): string {
  return chunks.map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`).join('');
}

function chunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'c1', object: 'chat.completion.chunk', created: 1700000000, model: 'm1', choices: [{ index: 0, delta, finish_reason: null }], ...extra };
}

function finishChunk(reason: string): Record<string, unknown> {
  return { id: 'c1', object: 'chat.completion.chunk', created: 1700000000, model: 'm1', choices: [{ index: 0, delta: {}, finish_reason: reason }] };
}

function errorOf(events: ChatStreamEvent[]): GatewayError {
  const last = events.at(-1);
  assert.equal(last?.type, 'error', JSON.stringify(events));
  return (last as { error: GatewayError }).error;
}

describe('decodeOpenAICompatibleStream', () => {
  const body = sse(
    chunk({ role: 'assistant', content: '' }),
    chunk({ reasoning_content: 'Think ' }),
    chunk({ reasoning_content: 'more.' }),
    chunk({ content: 'Grüße ' }),
    chunk({ content: '🌍!' }),
    finishChunk('stop'),
    { id: 'c1', object: 'chat.completion.chunk', created: 1700000000, model: 'm1', choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 2 } } },
    '[DONE]',
  );
  const expected: ChatStreamEvent[] = [
    { type: 'response-start', id: 'c1', model: 'm1', created: 1700000000 },
    { type: 'reasoning-start', id: '0' },
    { type: 'reasoning-delta', id: '0', text: 'Think ' },
    { type: 'reasoning-delta', id: '0', text: 'more.' },
    { type: 'reasoning-end', id: '0' },
    { type: 'text-start', id: '1' },
    { type: 'text-delta', id: '1', text: 'Grüße ' },
    { type: 'text-delta', id: '1', text: '🌍!' },
    { type: 'text-end', id: '1' },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', usage: {
        input: { total: 9, cacheRead: 2 },
        output: { total: 4, reasoning: 2 },
        source: 'upstream',
        raw: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, completion_tokens_details: { reasoning_tokens: 2 }, prompt_tokens_details: { cached_tokens: 2 } },
      },
    },
  ];

  it('decodes text, reasoning and usage sent after the finish chunk', async () => {
    assert.deepEqual(await decode([body]), expected);
  });

  it("keeps the upstream's service_tier and system_fingerprint on the response start; an empty one or one that is not a string is none", async () => {
    const named = await decode([sse(chunk({ content: 'Hi' }, { service_tier: 'default', system_fingerprint: 'fp_44709d6fcb' }), finishChunk('stop'), '[DONE]')]);
    assert.deepEqual(named[0], { type: 'response-start', id: 'c1', model: 'm1', created: 1700000000, serviceTier: 'default', systemFingerprint: 'fp_44709d6fcb' });
    for (const value of ['', 42, null]) {
      const events = await decode([sse(chunk({ content: 'Hi' }, { service_tier: value, system_fingerprint: value }), finishChunk('stop'), '[DONE]')]);
      assert.deepEqual(events[0], { type: 'response-start', id: 'c1', model: 'm1', created: 1700000000 });
      assert.equal(events.at(-1)?.type, 'finish');
    }
  });

  it('gives the same events whatever byte the body is split at, multi-byte characters included', async () => {
    const encoded = new TextEncoder().encode(body);
    for (let cut = 0; cut <= encoded.length; cut++) {
      assert.deepEqual(await decode([encoded.subarray(0, cut), encoded.subarray(cut)]), expected, `split at byte ${cut}`);
    }
    assert.deepEqual(await decode([...encoded].map((byte) => Uint8Array.of(byte))), expected, 'one byte at a time');
  });

  it('reads `reasoning` (Cerebras, OpenRouter) and content given as text parts', async () => {
    const events = await decode([sse(chunk({ reasoning: 'R' }), chunk({ content: [{ type: 'text', text: 'A' }, { type: 'image_url' }, { type: 'text', text: 'B' }] }), finishChunk('length'), '[DONE]')]);
    assert.deepEqual(events.slice(1), [
      { type: 'reasoning-start', id: '0' },
      { type: 'reasoning-delta', id: '0', text: 'R' },
      { type: 'reasoning-end', id: '0' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', text: 'AB' },
      { type: 'text-end', id: '1' },
      { type: 'finish', finishReason: 'length', rawFinishReason: 'length' },
    ]);
  });

  it('assembles tool calls by index, holding fragments until the name arrives, one block after another', async () => {
    const events = await decode([
      sse(
        chunk({ content: 'Let me check.' }),
        chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { name: 'lookup', arguments: '{"q":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'other', arguments: '{}' } }] }),
        chunk({ content: 'Done.' }),
        finishChunk('tool_calls'),
        '[DONE]',
      ),
    ]);
    assert.deepEqual(events.slice(1), [
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Let me check.' },
      { type: 'text-end', id: '0' },
      { type: 'tool-call-start', id: '1', toolCallId: 'call_a', name: 'lookup' },
      { type: 'tool-call-delta', id: '1', argumentsDelta: '{"q":' },
      { type: 'tool-call-delta', id: '1', argumentsDelta: '"x"}' },
      { type: 'tool-call-end', id: '1' },
      { type: 'tool-call-start', id: '2', toolCallId: 'call_b', name: 'other' },
      { type: 'tool-call-delta', id: '2', argumentsDelta: '{}' },
      { type: 'tool-call-end', id: '2' },
      { type: 'text-start', id: '3' },
      { type: 'text-delta', id: '3', text: 'Done.' },
      { type: 'text-end', id: '3' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ]);
  });

  it('ends the stream with an error when arguments arrive for a call that has already ended', async () => {
    const events = await decode([
      sse(
        chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'lookup', arguments: '{"q":' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'other', arguments: '{}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }),
        finishChunk('tool_calls'),
      ),
    ]);
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.match(last?.type === 'error' ? last.error.message : '', /more arguments for tool call 'lookup' after another block had started/);
    assert.equal(events.filter((event) => event.type === 'error' || event.type === 'finish').length, 1);
  });

  it('tolerates tool calls without index or id, and a server that numbers every call 0', async () => {
    const events = await decode([
      sse(
        chunk({ tool_calls: [{ function: { name: 'first', arguments: '{}' } }, { id: 'call_2', function: { name: 'second', arguments: '{}' } }] }),
        chunk({ tool_calls: [{ index: 5, id: 'call_3', function: { name: 'third', arguments: '{' } }] }),
        chunk({ tool_calls: [{ index: 5, id: 'call_4', function: { name: 'fourth', arguments: '{}' } }] }),
        finishChunk('stop'),
      ),
    ]);
    const starts = events.filter((event) => event.type === 'tool-call-start');
    assert.equal(starts.length, 4);
    assert.match((starts[0] as { toolCallId: string }).toolCallId, /^call_[0-9a-f]{24}$/);
    assert.deepEqual(
      starts.map((event) => (event as { name: string }).name),
      ['first', 'second', 'third', 'fourth'],
    );
    // `stop` after tool calls (Ollama, some vLLM parsers) still reads as a tool-call finish.
    assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'stop' });
  });

  it('starts a tool call that never got a name at the end rather than losing it', async () => {
    const events = await decode([sse(chunk({ tool_calls: [{ index: 0, id: 'call_x', function: { arguments: '{}' } }] }), finishChunk('tool_calls'))]);
    assert.deepEqual(events.slice(1, 3), [
      { type: 'tool-call-start', id: '0', toolCallId: 'call_x', name: '' },
      { type: 'tool-call-delta', id: '0', argumentsDelta: '{}' },
    ]);
  });

  it('names the stop sequence where the server says which matched (vLLM `stop_reason`), never a stop token id or a guess', async () => {
    const finish = async (choice: Record<string, unknown>) => (await decode([sse(chunk({ content: 'One, two' }), { id: 'c1', choices: [{ index: 0, delta: {}, ...choice }] }, '[DONE]')])).at(-1);
    assert.deepEqual(await finish({ finish_reason: 'stop', stop_reason: ', three' }), { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', stopSequence: ', three' });
    assert.deepEqual(await finish({ finish_reason: 'stop', stop_reason: 128009 }), { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
    assert.deepEqual(await finish({ finish_reason: 'stop' }), { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  });

  it('finishes on [DONE] without a finish_reason, and on a finish_reason without [DONE]', async () => {
    assert.deepEqual((await decode([sse(chunk({ content: 'a' }), '[DONE]')])).at(-1), { type: 'finish', finishReason: 'stop' });
    assert.deepEqual((await decode([sse(chunk({ content: 'a' }), finishChunk('content_filter'))])).at(-1), {
      type: 'finish',
      finishReason: 'content-filter',
      rawFinishReason: 'content_filter',
    });
  });

  it('reports a stream cut before the finish as an upstream error', async () => {
    const events = await decode([sse(chunk({ content: 'Once upon' }))]);
    assert.deepEqual(events.slice(0, 4).map((event) => event.type), ['response-start', 'text-start', 'text-delta', 'text-end']);
    const error = errorOf(events);
    assert.equal(error.kind, 'upstream');
    assert.match(error.message, /ended before the response was complete/);
    assert.equal(errorOf(await decode([''])).kind, 'upstream');
  });

  it('turns an error chunk into an error event with the status it names', async () => {
    const events = await decode([sse(chunk({ content: 'Hi' }), { error: { message: 'Overloaded', type: 'server_error', code: 'overloaded' }, status_code: 503 }, finishChunk('stop'))]);
    const error = errorOf(events);
    assert.equal(error.message, 'Overloaded');
    assert.equal(error.kind, 'overloaded');
    assert.equal(error.code, 'overloaded');
    assert.equal(error.upstreamStatus, 503);
    assert.equal(events.filter((event) => event.type === 'error' || event.type === 'finish').length, 1);
  });

  it('turns `event: error` into an error event', async () => {
    const events = await decode([`data: ${JSON.stringify(chunk({ content: 'Hi' }))}\n\nevent: error\ndata: {"message":"quota gone","type":"rate_limit","status_code":429}\n\n`]);
    const error = errorOf(events);
    assert.equal(error.message, 'quota gone');
    assert.equal(error.kind, 'rate_limit');
  });

  it('reports a chunk that is not JSON, or not a chunk, as an upstream error', async () => {
    const notJson = errorOf(await decode([sse(chunk({ content: 'a' }), '{"choices": [', '[DONE]')]));
    assert.match(notJson.message, /not JSON: \{"choices": \[/);
    const wrongShape = errorOf(await decode([sse({ choices: 'nope' }, '[DONE]')]));
    assert.match(wrongShape.message, /cannot read/);
  });

  it('reports a transport failure while reading as an error event', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield sse(chunk({ content: 'a' }));
      throw new GatewayError('timeout', 'the upstream went quiet');
    }
    const events: ChatStreamEvent[] = [];
    for await (const event of decodeOpenAICompatibleStream(failing(), generic, 'http://127.0.0.1:1/v1')) events.push(event);
    assert.equal(errorOf(events).kind, 'timeout');
  });

  it('finishes an answer whose connection fails after its finish_reason, unless the client left', async () => {
    async function* failingAfterFinish(failure: GatewayError): AsyncGenerator<string> {
      yield sse(chunk({ content: 'a' }), finishChunk('length'));
      throw failure;
    }
    const events: ChatStreamEvent[] = [];
    for await (const event of decodeOpenAICompatibleStream(failingAfterFinish(new GatewayError('upstream', 'connection reset')), generic, 'http://127.0.0.1:1/v1')) {
      events.push(event);
    }
    assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'length', rawFinishReason: 'length' });
    assert.equal(events.filter((event) => event.type === 'error').length, 0);

    const canceled: ChatStreamEvent[] = [];
    for await (const event of decodeOpenAICompatibleStream(failingAfterFinish(new GatewayError('canceled', 'request canceled')), generic, 'http://127.0.0.1:1/v1')) {
      canceled.push(event);
    }
    assert.equal(errorOf(canceled).kind, 'canceled');
  });

  it('reads only the first choice and ignores SSE comments and empty data', async () => {
    const events = await decode([
      ': keep-alive\n\n',
      sse({ id: 'c', choices: [{ index: 1, delta: { content: 'other' } }, { index: 0, delta: { content: 'mine' } }] }, ' ', { id: 'c', choices: [{ index: 0, delta: { refusal: ' no' }, finish_reason: 'stop' }] }),
    ]);
    assert.deepEqual(events.filter((event) => event.type === 'text-delta'), [
      { type: 'text-delta', id: '0', text: 'mine' },
      { type: 'text-delta', id: '0', text: ' no' },
    ]);
  });

  it('splits <think> content and reads dialect extras where the dialect asks', async () => {
    const dialect = resolveOpenAICompatibleDialect({
      splitThinkTags: true,
      decodeExtra: (raw) => (typeof raw.elapsed === 'number' ? { timing: { queueMs: 0, promptMs: 0, completionMs: raw.elapsed, totalMs: raw.elapsed, source: 'upstream' } } : undefined),
    });
    const events = await decode([sse(chunk({ content: '<thi' }), chunk({ content: 'nk>plan</think>' }), chunk({ content: 'Answer' }), { ...finishChunk('stop'), elapsed: 5 })], dialect);
    assert.deepEqual(events.slice(1), [
      { type: 'reasoning-start', id: '0' },
      { type: 'reasoning-delta', id: '0', text: 'plan' },
      { type: 'reasoning-end', id: '0' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', text: 'Answer' },
      { type: 'text-end', id: '1' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', timing: { queueMs: 0, promptMs: 0, completionMs: 5, totalMs: 5, source: 'upstream' } },
    ]);
  });
});

describe('OpenAICompatibleStreamDecoder', () => {
  it('decodes each network chunk at once into the events it completes, the finish at [DONE]', () => {
    const decoder = new OpenAICompatibleStreamDecoder(generic, 'http://127.0.0.1:1/v1/chat/completions');
    const first = sse(chunk({ role: 'assistant', content: 'Hi' }), chunk({ content: ' th' }));
    assert.deepEqual(decoder.push(new TextEncoder().encode(first + 'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"er')), [
      { type: 'response-start', id: 'c1', model: 'm1', created: 1700000000 },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', text: 'Hi' },
      { type: 'text-delta', id: '0', text: ' th' },
    ]);
    assert.deepEqual(decoder.push(new TextEncoder().encode('e"}}]}\n\n')), [{ type: 'text-delta', id: '0', text: 'ere' }]);
    assert.equal(decoder.isEnded, false);
    assert.deepEqual(decoder.push(new TextEncoder().encode(sse(finishChunk('stop'), '[DONE]') + sse(chunk({ content: 'after' })))), [
      { type: 'text-end', id: '0' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
    assert.equal(decoder.isEnded, true);
    assert.deepEqual(decoder.push(new TextEncoder().encode(sse(chunk({ content: 'late' })))), []);
    assert.deepEqual(decoder.end(), []);
  });

  it('ends a body cut off before its finish with an error, and a broken one after its finish_reason with the finish', () => {
    const cut = new OpenAICompatibleStreamDecoder(generic, 'http://127.0.0.1:1/v1/chat/completions');
    cut.push(new TextEncoder().encode(sse(chunk({ content: 'Hi' }))));
    assert.match(errorOf(cut.end()).message, /ended before the response was complete/);
    const broken = new OpenAICompatibleStreamDecoder(generic, 'http://127.0.0.1:1/v1/chat/completions');
    broken.push(new TextEncoder().encode(sse(chunk({ content: 'Hi' }), finishChunk('length'))));
    assert.deepEqual(broken.fail(new Error('socket hang up')).map((event) => event.type), ['text-end', 'finish']);
  });
});
