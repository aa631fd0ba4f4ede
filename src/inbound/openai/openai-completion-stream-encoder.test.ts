import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { encodeOpenAICompletionStream } from './openai-completion-stream-encoder.ts';
import { chatEventBatches } from '../../canonical/chat-event-batches.ts';

async function encode(events: ChatStreamEvent[], includeUsage: boolean): Promise<string> {
  async function* source(): AsyncGenerator<ChatStreamEvent> {
    yield* events;
  }
  let text = '';
  for await (const chunk of encodeOpenAICompletionStream(chatEventBatches(source()), { model: 'm', includeUsage })) text += chunk;
  // The id and time are made up per stream; normalise them to compare bytes.
  return text.replace(/"id":"cmpl-[A-Za-z0-9]+","object":"text_completion","created":\d+/g, '"id":"cmpl-X","object":"text_completion","created":1');
}

const HEAD = 'data: {"id":"cmpl-X","object":"text_completion","created":1,"model":"m"';

describe('encodeOpenAICompletionStream', () => {
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

  it('ends with an error chunk on an error event', async () => {
    const text = await encode([{ type: 'text-delta', id: 't', text: 'a' }, { type: 'error', error: new GatewayError('upstream', 'gone') }], false);
    assert.equal(
      text,
      HEAD + ',"choices":[{"text":"a","index":0,"logprobs":null,"finish_reason":null}]}\n\n' +
        'data: {"error":{"message":"gone","type":"api_error","param":null,"code":null}}\n\n',
    );
  });
});
