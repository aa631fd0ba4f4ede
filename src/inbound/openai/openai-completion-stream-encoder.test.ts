import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { encodeEvents } from '../../../test-support/read-chat-stream-body.ts';
import { OpenAICompletionStreamEncoder } from './openai-completion-stream-encoder.ts';

async function encode(events: ChatStreamEvent[], includeUsage: boolean): Promise<string> {
  const text = await encodeEvents(new OpenAICompletionStreamEncoder({ model: 'm', includeUsage }), events);
  // The id and time are made up per stream; normalise them to compare bytes.
  return text.replace(/"id":"cmpl-[A-Za-z0-9]+","object":"text_completion","created":\d+/g, '"id":"cmpl-X","object":"text_completion","created":1');
}

const HEAD = 'data: {"id":"cmpl-X","object":"text_completion","created":1,"model":"m"';

describe('OpenAICompletionStreamEncoder', () => {
  it('encodes text_completion chunks, the finish chunk, usage and [DONE], dropping reasoning', async () => {
    const text = await encode(
      [
        { type: 'response-start' },
        { type: 'reasoning-start', id: 'r' },
        { type: 'reasoning-delta', id: 'r', text: 'hmm' },
        { type: 'reasoning-end', id: 'r' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', text: 'Once ☃' },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: 'length', usage: { input: { total: 2 }, output: { total: 3 }, source: 'upstream' } },
      ],
      true,
    );
    assert.equal(
      text,
      HEAD + ',"choices":[{"text":"Once ☃","index":0,"logprobs":null,"finish_reason":null}],"usage":null}\n\n' +
        HEAD + ',"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"length"}],"usage":null}\n\n' +
        HEAD + ',"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it("carries the upstream's service_tier and system_fingerprint on every chunk, after the model", async () => {
    const text = await encode(
      [
        { type: 'response-start', serviceTier: 'priority', systemFingerprint: 'fp_1' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', text: 'Hi' },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: 'stop', usage: { input: { total: 2 }, output: { total: 1 }, source: 'upstream' } },
      ],
      true,
    );
    const head = HEAD + ',"service_tier":"priority","system_fingerprint":"fp_1"';
    assert.equal(
      text,
      head + ',"choices":[{"text":"Hi","index":0,"logprobs":null,"finish_reason":null}],"usage":null}\n\n' +
        head + ',"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n' +
        head + ',"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('ends with an error chunk on an error event, and on a stream with no terminal event', async () => {
    const text = await encode([{ type: 'text-delta', id: 't', text: 'a' }, { type: 'error', error: new GatewayError('upstream', 'gone') }], false);
    assert.equal(
      text,
      HEAD + ',"choices":[{"text":"a","index":0,"logprobs":null,"finish_reason":null}]}\n\n' +
        'data: {"error":{"message":"gone","type":"api_error","param":null,"code":null}}\n\n',
    );
    const unfinished = await encode([{ type: 'text-delta', id: 't', text: 'a' }], false);
    assert.equal(
      unfinished,
      HEAD + ',"choices":[{"text":"a","index":0,"logprobs":null,"finish_reason":null}]}\n\n' +
        'data: {"error":{"message":"the upstream stream ended before the response was complete","type":"api_error","param":null,"code":null}}\n\n',
    );
  });
});
