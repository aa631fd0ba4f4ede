import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../../canonical/chat-message.ts';
import { convertChatRequestToOpenAICompatible } from '../../../providers/openai-compatible/convert-chat-request-to-openai-compatible.ts';
import { resolveOpenAICompatibleDialect } from '../../../providers/openai-compatible/openai-compatible-dialect.ts';
import { parseOpenAIRequestBody } from '../parse-openai-request-body.ts';
import { convertResponsesRequestToChatRequest } from './convert-responses-request-to-chat-request.ts';
import { plainChatMessagesHint } from './plain-chat-messages.ts';
import { responsesRequestSchema } from './responses-request-schema.ts';

function convert(body: Record<string, unknown>) {
  return convertResponsesRequestToChatRequest(parseOpenAIRequestBody(responsesRequestSchema, { model: 'm', max_output_tokens: 9, ...body }));
}

const dialects = [resolveOpenAICompatibleDialect({}), resolveOpenAICompatibleDialect({ developerRole: 'system', maxTokensField: 'max_completion_tokens' })];

describe('plainChatMessagesHint', () => {
  it('gives plain text turns, which an OpenAI-compatible upstream sends exactly as it would convert the canonical messages', () => {
    const requests = [
      convert({ input: 'Say hello.' }),
      convert({ instructions: 'Be brief.', input: '' }),
      convert({
        instructions: 'Be brief.',
        input: [
          { type: 'message', role: 'developer', content: 'French.' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Salut ☕' }] },
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '' }] },
          { role: 'user', content: 'Et toi ?' },
        ],
        stream: true,
      }),
    ];
    for (const request of requests) {
      const hint = plainChatMessagesHint(request.messages);
      assert.ok(hint !== undefined, JSON.stringify(request.messages));
      for (const dialect of dialects) {
        const converted = convertChatRequestToOpenAICompatible(request, dialect, {});
        const hinted = convertChatRequestToOpenAICompatible(request, dialect, {}, hint);
        assert.equal(JSON.stringify(hinted.body), JSON.stringify(converted.body));
        assert.deepEqual(hinted.degraded, converted.degraded);
      }
    }
  });

  it('gives nothing when a turn is more than one text part', () => {
    const unusual: [string, ChatMessage[]][] = [
      ['two text parts', convert({ input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_text', text: 'b' }] }] }).messages],
      ['assistant turns merged', convert({ input: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'assistant', content: 'c' }] }).messages],
      ['an image', convert({ input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://example.com/a.png' }] }] }).messages],
      [
        'a tool call and its result',
        convert({
          input: [
            { role: 'user', content: 'a' },
            { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
            { type: 'function_call_output', call_id: 'c', output: 'ok' },
          ],
        }).messages,
      ],
      ['a named turn', [{ role: 'user', name: 'ana', parts: [{ type: 'text', text: 'a' }] }]],
      ['a reasoning part', [{ role: 'assistant', parts: [{ type: 'reasoning', text: 'r' }] }]],
      ['an empty turn', [{ role: 'user', parts: [] }]],
    ];
    for (const [what, messages] of unusual) assert.equal(plainChatMessagesHint(messages), undefined, what);
  });
});
