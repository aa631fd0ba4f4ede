import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { encodeEvents, readChatStreamBody } from '../../../test-support/read-chat-stream-body.ts';
import { OpenAIChatStreamEncoder } from './openai-chat-stream-encoder.ts';

const HEAD = 'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"my-model"';
const PREFIX = HEAD + ',"choices":[{"index":0,"delta":';
const SUFFIX = ',"logprobs":null,"finish_reason":null}]}\n\n';
const ROLE = PREFIX + '{"role":"assistant","content":""}' + SUFFIX;

function encode(events: ChatStreamEvent[], includeUsage = false): Promise<string> {
  return encodeEvents(new OpenAIChatStreamEncoder({ model: 'my-model', includeUsage }), events);
}

const start: ChatStreamEvent = { type: 'response-start', id: 'chatcmpl-1', model: 'upstream-model', created: 1700000000 };

describe('OpenAIChatStreamEncoder', () => {
  it('encodes a text stream byte for byte', async () => {
    const text = await encode([
      start,
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'Hel' },
      { type: 'text-delta', id: 't', text: 'lo "☃"\n' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 5 }, output: { total: 2 }, source: 'upstream' } },
    ]);
    assert.equal(
      text,
      ROLE +
        PREFIX + '{"content":"Hel"}' + SUFFIX +
        PREFIX + '{"content":"lo \\"☃\\"\\n"}' + SUFFIX +
        PREFIX + '{},"logprobs":null,"finish_reason":"stop"}]}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it("carries the upstream's service_tier and system_fingerprint on every chunk, after the model, as OpenAI does", async () => {
    const text = await encode([
      { ...start, serviceTier: 'default', systemFingerprint: 'fp_44709d6fcb' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'Hi' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 5 }, output: { total: 2 }, source: 'upstream' } },
    ], true);
    const head = HEAD + ',"service_tier":"default","system_fingerprint":"fp_44709d6fcb"';
    const prefix = head + ',"choices":[{"index":0,"delta":';
    const suffix = ',"logprobs":null,"finish_reason":null}],"usage":null}\n\n';
    assert.equal(
      text,
      prefix + '{"role":"assistant","content":""}' + suffix +
        prefix + '{"content":"Hi"}' + suffix +
        prefix + '{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n' +
        head + ',"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('encodes reasoning as delta.reasoning_content before the answer', async () => {
    const text = await encode([
      start,
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', text: 'think' },
      { type: 'reasoning-end', id: 'r' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'ok' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'length' },
    ]);
    assert.equal(
      text,
      ROLE +
        PREFIX + '{"reasoning_content":"think"}' + SUFFIX +
        PREFIX + '{"content":"ok"}' + SUFFIX +
        PREFIX + '{},"logprobs":null,"finish_reason":"length"}]}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('streams tool calls as OpenAI does, numbering them from 0, and reports tool_calls', async () => {
    const text = await encode([
      start,
      { type: 'tool-call-start', id: 'b3', toolCallId: 'call_a', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'b3', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', id: 'b3', argumentsDelta: '"Paris"}' },
      { type: 'tool-call-start', id: 'b7', toolCallId: 'call_b', name: 'get_time' },
      { type: 'tool-call-delta', id: 'b7', argumentsDelta: '{}' },
      { type: 'tool-call-end', id: 'b3' },
      { type: 'tool-call-end', id: 'b7' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    assert.equal(
      text,
      ROLE +
        PREFIX + '{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}' + SUFFIX +
        PREFIX + '{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]}' + SUFFIX +
        PREFIX + '{"tool_calls":[{"index":0,"function":{"arguments":"\\"Paris\\"}"}}]}' + SUFFIX +
        PREFIX + '{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]}' + SUFFIX +
        PREFIX + '{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]}' + SUFFIX +
        PREFIX + '{},"logprobs":null,"finish_reason":"tool_calls"}]}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('adds "usage":null to every chunk and a usage chunk with choices:[] when include_usage', async () => {
    const text = await encode(
      [
        start,
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', text: 'hi' },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: 'stop', usage: { input: { total: 11, cacheRead: 3 }, output: { total: 4, reasoning: 2 }, source: 'upstream' } },
      ],
      true,
    );
    const suffix = ',"logprobs":null,"finish_reason":null}],"usage":null}\n\n';
    assert.equal(
      text,
      PREFIX + '{"role":"assistant","content":""}' + suffix +
        PREFIX + '{"content":"hi"}' + suffix +
        PREFIX + '{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n' +
        HEAD + ',"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15,' +
        '"prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":2}}}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('ends with an error chunk and no [DONE] when the stream fails midway', async () => {
    const text = await encode([
      start,
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'par' },
      { type: 'error', error: new GatewayError('rate_limit', 'slow down', { code: 'rate_limited' }) },
      { type: 'text-delta', id: 't', text: 'ignored' },
    ]);
    assert.equal(
      text,
      ROLE +
        PREFIX + '{"content":"par"}' + SUFFIX +
        'data: {"error":{"message":"slow down","type":"rate_limit_error","param":null,"code":"rate_limited"}}\n\n',
    );
  });

  it('turns a stream with no terminal event into an error chunk', async () => {
    const unfinished = await encode([start, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', text: 'a' }]);
    assert.equal(
      unfinished,
      ROLE + PREFIX + '{"content":"a"}' + SUFFIX + 'data: {"error":{"message":"the upstream stream ended before the response was complete","type":"api_error","param":null,"code":null}}\n\n',
    );
  });

  it('gives files as Markdown content and makes up an id when the upstream gave none', () => {
    const encoder = new OpenAIChatStreamEncoder({ model: 'm', includeUsage: false });
    const first = encoder.encode({ type: 'text-delta', id: 't', text: 'Here:' });
    assert.match(first, /^data: \{"id":"chatcmpl-[A-Za-z0-9]{20}","object":"chat.completion.chunk","created":\d+,"model":"m"/);
    const file = encoder.encode({ type: 'file', url: 'https://cdn.example/cat.png', mediaType: 'image/png', name: 'cat.png' });
    assert.ok(file.endsWith('"delta":{"content":"\\n\\n![cat.png](https://cdn.example/cat.png)"},"logprobs":null,"finish_reason":null}]}\n\n'));
    assert.equal(encoder.encode({ type: 'response-start', id: 'late' }), '');
  });
});

describe('OpenAIChatStreamEncoder in a stream body', () => {
  it('turns each batch (one upstream network chunk) into one string, the same bytes as event by event', async () => {
    const events: ChatStreamEvent[] = [
      start,
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'Hel' },
      { type: 'text-delta', id: 't', text: 'lo' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop' },
    ];
    const writes = await readChatStreamBody(new OpenAIChatStreamEncoder({ model: 'my-model', includeUsage: false }), [events.slice(0, 3), events.slice(3)]);
    assert.deepEqual(writes, [ROLE + PREFIX + '{"content":"Hel"}' + SUFFIX, PREFIX + '{"content":"lo"}' + SUFFIX + PREFIX + '{},"logprobs":null,"finish_reason":"stop"}]}\n\n' + 'data: [DONE]\n\n']);
    assert.equal(writes.join(''), await encode(events));
  });
});
