import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatResponse } from '../../../canonical/chat-response.ts';
import type { Usage } from '../../../canonical/usage.ts';
import { replayChatResponse } from '../../../providers/replay-chat-response.ts';
import { convertChatResponseToResponses } from './convert-chat-response-to-responses.ts';
import { responsesEnvelope } from './responses-envelope.ts';
import { ResponsesStreamEncoder } from './responses-stream-encoder.ts';

const envelope = responsesEnvelope({ model: 'gpt-test', input: 'hi' }, 'resp_1', 1_700_000_000);
const counter = (): ((prefix: string) => string) => {
  let next = 0;
  return (prefix) => `${prefix}${++next}`;
};

/** The Response object the stream encoder ends with for the same answer replayed as a stream. */
function viaStream(response: ChatResponse, reasoningAsSummary: boolean): string {
  const encoder = new ResponsesStreamEncoder(envelope, { reasoningAsSummary, newId: counter() });
  for (const event of replayChatResponse(response)) encoder.encode(event);
  return JSON.stringify(encoder.response);
}

const signed = { provider: 'anthropic', signature: 'sig-1' };
const usage: Usage = { input: { total: 10, cacheRead: 4 }, output: { total: 7, reasoning: 3 }, source: 'upstream' };

const answers: Record<string, ChatResponse> = {
  'plain text': { parts: [{ type: 'text', text: 'Hello ☃' }], finishReason: 'stop', usage },
  'no parts at all': { parts: [], finishReason: 'stop' },
  'text parts in a row, an empty one, and logprobs': {
    parts: [
      { type: 'text', text: 'Hel', logprobs: [{ token: 'Hel', logprob: -0.1, top: [{ token: 'Hel', logprob: -0.1 }] }] },
      { type: 'text', text: '' },
      { type: 'text', text: 'lo', logprobs: [] },
      { type: 'text', text: '!', logprobs: [{ token: '!', logprob: -2, bytes: [33] }], metadata: signed },
    ],
    finishReason: 'stop',
  },
  'reasoning with a signature, then text': {
    parts: [
      { type: 'reasoning', text: 'Think', metadata: signed },
      { type: 'reasoning', text: 'ing.', metadata: { provider: 'anthropic', encrypted: 'more' } },
      { type: 'text', text: 'Answer.' },
    ],
    finishReason: 'stop',
  },
  'a signature alone after reasoning, and one with nothing open': {
    parts: [
      { type: 'reasoning', text: '', metadata: { provider: 'gemini', signature: 'early', itemId: 'dropped' } },
      { type: 'reasoning', text: 'Thought.' },
      { type: 'reasoning', text: '', metadata: { provider: 'gemini', signature: 'late' } },
      { type: 'text', text: 'A' },
    ],
    finishReason: 'stop',
  },
  'redacted reasoning between readable reasoning': {
    parts: [
      { type: 'reasoning', text: 'One.' },
      { type: 'reasoning', text: '', redacted: true, metadata: { provider: 'anthropic', encrypted: 'opaque' } },
      { type: 'reasoning', text: 'Two.' },
      { type: 'reasoning', text: '', redacted: true },
    ],
    finishReason: 'stop',
  },
  'tool calls in a row, one without arguments': {
    parts: [
      { type: 'text', text: 'Calling.' },
      { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' },
      { type: 'tool-call', id: 'call_2', name: 'now', arguments: '', metadata: { provider: 'gemini', signature: 's' } },
    ],
    finishReason: 'tool-calls',
    usage,
  },
  'files between texts, two in a row': {
    parts: [
      { type: 'text', text: 'Here:' },
      { type: 'generated-file', url: 'https://x.test/a.png', mediaType: 'image/png', name: 'a' },
      { type: 'generated-file', url: 'https://x.test/b.pdf', name: 'b' },
      { type: 'text', text: 'Done.' },
      { type: 'generated-file', url: 'https://x.test/c.jpg' },
    ],
    finishReason: 'stop',
  },
  'a file last, cut by the length limit': {
    parts: [{ type: 'reasoning', text: 'Hm.' }, { type: 'generated-file', url: 'https://x.test/c.jpg' }],
    finishReason: 'length',
  },
  'text cut by the length limit': { parts: [{ type: 'text', text: 'Once upon' }], finishReason: 'length', usage },
  'a provider block between texts': {
    parts: [
      { type: 'text', text: 'Searching.' },
      { type: 'provider-block', provider: 'anthropic', block: { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} } },
      { type: 'text', text: 'Found.' },
    ],
    finishReason: 'stop',
  },
  'a content filter stop': { parts: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{}' }], finishReason: 'content-filter' },
  'a tier the upstream named': { parts: [{ type: 'text', text: 'Hi' }], finishReason: 'stop', serviceTier: 'flex', systemFingerprint: 'fp_1' },
};

describe('convertChatResponseToResponses', () => {
  for (const [name, answer] of Object.entries(answers)) {
    for (const reasoningAsSummary of [false, true]) {
      it(`gives, byte for byte, the Response the stream encoder ends with: ${name}${reasoningAsSummary ? ' (reasoning as summary)' : ''}`, () => {
        const direct = JSON.stringify(convertChatResponseToResponses(answer, envelope, { reasoningAsSummary, newId: counter() }));
        assert.equal(direct, viaStream(answer, reasoningAsSummary));
      });
    }
  }

  it("says the tier the upstream named, else 'default', whatever tier the request asked for", () => {
    const answer = answers['a tier the upstream named'] as ChatResponse;
    assert.equal(convertChatResponseToResponses(answer, envelope, { reasoningAsSummary: false, newId: counter() })['service_tier'], 'flex');
    assert.equal(convertChatResponseToResponses({ ...answer, parts: [] }, envelope, { reasoningAsSummary: false, newId: counter() })['service_tier'], 'flex');
    const { serviceTier: _tier, ...unnamed } = answer;
    assert.equal(convertChatResponseToResponses(unnamed, envelope, { reasoningAsSummary: false, newId: counter() })['service_tier'], 'default');
    const askedFlex = responsesEnvelope({ model: 'gpt-test', input: 'hi', service_tier: 'flex' }, 'resp_1', 1_700_000_000);
    assert.equal(askedFlex['service_tier'], 'flex');
    assert.equal(envelope['service_tier'], 'auto');
    assert.equal(convertChatResponseToResponses(unnamed, askedFlex, { reasoningAsSummary: false, newId: counter() })['service_tier'], 'default');
    assert.equal(convertChatResponseToResponses(answer, askedFlex, { reasoningAsSummary: false, newId: counter() })['service_tier'], 'flex');
    assert.equal(JSON.parse(viaStream(answer, false)).service_tier, 'flex');
  });

  it('answers a plain text in the shape api.openai.com does', () => {
    const response = convertChatResponseToResponses(answers['plain text'] as ChatResponse, envelope, { reasoningAsSummary: false, newId: counter() });
    assert.equal(response['status'], 'completed');
    assert.deepEqual(response['output'], [
      { id: 'msg_1', type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Hello ☃' }], role: 'assistant' },
    ]);
    assert.deepEqual(response['usage'], { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 17 });
  });
});
