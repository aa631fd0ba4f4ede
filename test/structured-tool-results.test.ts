import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../src/canonical/chat-message.ts';
import type { ChatRequest } from '../src/canonical/chat-request.ts';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { convertChatRequestToAnthropic } from '../src/providers/anthropic/convert-chat-request-to-anthropic.ts';
import { convertChatRequestToGemini } from '../src/providers/gemini/convert-chat-request-to-gemini.ts';
import { convertChatRequestToOllama } from '../src/providers/ollama/convert-chat-request-to-ollama.ts';
import { convertChatRequestToOpenAICompatible } from '../src/providers/openai-compatible/convert-chat-request-to-openai-compatible.ts';
import { resolveOpenAICompatibleDialect } from '../src/providers/openai-compatible/openai-compatible-dialect.ts';
import { convertChatRequestToPoeQuery } from '../src/providers/poe/convert-chat-request-to-poe-query.ts';

// A tool result with blocks (text, an image, text; Anthropic clients send them) reaches each
// provider as faithfully as its protocol allows: whole where results take blocks, its image
// beside the result (declared) where they take only text, never dropped.

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const messages: ChatMessage[] = [
  { role: 'user', parts: [{ type: 'text', text: 'Screenshot the page.' }] },
  { role: 'assistant', parts: [{ type: 'tool-call', id: 'toolu_01Shot', name: 'screenshot', arguments: '{"url":"https://example.com"}' }] },
  {
    role: 'tool',
    parts: [
      {
        type: 'tool-result',
        toolCallId: 'toolu_01Shot',
        toolName: 'screenshot',
        content: 'Captured.\nOne image.',
        parts: [
          { type: 'text', text: 'Captured.' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } },
          { type: 'text', text: 'One image.' },
        ],
      },
    ],
  },
  { role: 'user', parts: [{ type: 'text', text: 'What do you see?' }] },
];
const request: ChatRequest = { model: 'm', stream: false, messages };

describe('a tool result with an image', () => {
  it('reaches an Anthropic upstream as the blocks it was, with the cache_control of each block', () => {
    const { body, degraded } = convertChatRequestToAnthropic(
      { ...request, providerOptions: { anthropic: { cacheControl: [{ message: 2, part: 0, block: 2, cacheControl: { type: 'ephemeral' } }] } } },
      { id: 'claude' },
    );
    assert.deepEqual(degraded, []);
    assert.deepEqual(body.messages[2], {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01Shot',
          content: [
            { type: 'text', text: 'Captured.' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            { type: 'text', text: 'One image.', cache_control: { type: 'ephemeral' } },
          ],
        },
        { type: 'text', text: 'What do you see?' },
      ],
    });
  });

  it('reaches a chat-completions upstream as a text tool message and the image in a user message after it, declared', () => {
    const { body, degraded } = convertChatRequestToOpenAICompatible(request, resolveOpenAICompatibleDialect({}), { id: 'vllm' });
    assert.deepEqual(body.messages.slice(2), [
      { role: 'tool', tool_call_id: 'toolu_01Shot', content: 'Captured.\nOne image.' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
      { role: 'user', content: 'What do you see?' },
    ]);
    assert.equal(degraded.length, 1);
    assert.equal(degraded[0]?.field, 'messages');
    assert.match(degraded[0]?.reason ?? '', /1 image\(s\) or file\(s\) of tool result toolu_01Shot sent in a user message after the results; provider 'vllm' takes only text/);
  });

  it('reaches Ollama as a tool message carrying the image in its own images', () => {
    const conversion = convertChatRequestToOllama(request, 'local');
    assert.equal(conversion.path, '/api/chat');
    if (conversion.path !== '/api/chat') return;
    assert.deepEqual(conversion.body.messages[2], { role: 'tool', content: 'Captured.\nOne image.', tool_call_id: 'toolu_01Shot', tool_name: 'screenshot', images: [PNG] });
  });

  it('a file in a tool result is refused by Ollama, which takes no files', () => {
    const withFile: ChatRequest = {
      ...request,
      messages: messages.map((message) =>
        message.role !== 'tool' ? message : { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'toolu_01Shot', content: '', parts: [{ type: 'file', filename: 'page.pdf', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } }] }] },
      ),
    };
    assert.throws(() => convertChatRequestToOllama(withFile, 'local'), (error: unknown) => error instanceof GatewayError && error.status === 400 && /page\.pdf/.test(error.message));
  });

  it('reaches Gemini as the functionResponse with the image beside it in the same turn, declared', () => {
    const { body, degraded } = convertChatRequestToGemini(request, { providerId: 'g', rememberedSignature: () => undefined });
    assert.deepEqual(body.contents[2], {
      role: 'user',
      parts: [
        { functionResponse: { name: 'screenshot', response: { result: 'Captured.\nOne image.' } } },
        { inlineData: { mimeType: 'image/png', data: PNG } },
        { text: 'What do you see?' },
      ],
    });
    assert.ok(degraded.some((entry) => entry.field === 'messages' && /tool result toolu_01Shot sent beside its functionResponse/.test(entry.reason)));
  });

  it('reaches a Poe bot as the text result and the image as an attachment of a user message, declared', async () => {
    const uploaded: string[] = [];
    const { body, degraded } = await convertChatRequestToPoeQuery(
      { ...request, messages: [...messages.slice(0, 3)] },
      async (source) => {
        uploaded.push(source.kind === 'base64' ? source.mediaType : source.url);
        return { url: 'https://pfst.cf2.poecdn.net/shot.png', content_type: 'image/png', name: 'shot.png' };
      },
      'poe',
    );
    assert.deepEqual(uploaded, ['image/png']);
    assert.deepEqual(body.tool_results, [{ role: 'tool', name: 'screenshot', tool_call_id: 'toolu_01Shot', content: 'Captured.\nOne image.' }]);
    assert.deepEqual(body.query.at(-1)?.attachments, [{ url: 'https://pfst.cf2.poecdn.net/shot.png', content_type: 'image/png', name: 'shot.png' }]);
    assert.equal(body.query.at(-1)?.role, 'user');
    assert.ok(degraded.some((entry) => entry.field === 'messages' && /attachments of a user message/.test(entry.reason)));
  });
});
