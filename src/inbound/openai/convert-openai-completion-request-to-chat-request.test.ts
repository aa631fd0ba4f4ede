import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertOpenAICompletionRequestToChatRequest } from './convert-openai-completion-request-to-chat-request.ts';
import { openAICompletionRequestSchema } from './openai-completion-request-schema.ts';
import { parseOpenAIRequestBody } from './parse-openai-request-body.ts';

function convert(body: Record<string, unknown>): ChatRequest {
  return convertOpenAICompletionRequestToChatRequest(parseOpenAIRequestBody(openAICompletionRequestSchema, body));
}

function refusedParam(body: Record<string, unknown>): string | undefined {
  try {
    convert(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    return error.param;
  }
  assert.fail('expected a refusal');
}

describe('convertOpenAICompletionRequestToChatRequest', () => {
  it('sends the prompt as one user message with the sampling fields', () => {
    assert.deepEqual(convert({ model: 'm', prompt: ['Say hi'], max_tokens: 5, stop: ['\n'], temperature: 0, logprobs: 2, suffix: '', echo: false, best_of: 1, foo: 1 }), {
      model: 'm',
      stream: false,
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Say hi' }] }],
      maxTokens: 5,
      stop: ['\n'],
      temperature: 0,
      logprobs: true,
      topLogprobs: 2,
      unmappedFields: { foo: 1 },
    });
  });

  it('carries a suffix for the provider to honour or refuse', () => {
    assert.equal(convert({ model: 'm', prompt: 'a', suffix: 'b' }).suffix, 'b');
  });

  it('refuses what a chat model cannot answer faithfully', () => {
    assert.equal(refusedParam({ model: 'm', prompt: 'a', echo: true }), 'echo');
    assert.equal(refusedParam({ model: 'm', prompt: 'a', best_of: 3 }), 'best_of');
    assert.equal(refusedParam({ model: 'm', prompt: 'a', n: 2 }), 'n');
    assert.equal(refusedParam({ model: 'm', prompt: ['a', 'b'] }), 'prompt');
    assert.equal(refusedParam({ model: 'm', prompt: [1, 2, 3] }), 'prompt');
  });
});
