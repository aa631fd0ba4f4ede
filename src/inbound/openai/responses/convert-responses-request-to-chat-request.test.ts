import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOpenAIRequestBody } from '../parse-openai-request-body.ts';
import { convertResponsesRequestToChatRequest } from './convert-responses-request-to-chat-request.ts';
import { responsesRequestSchema } from './responses-request-schema.ts';

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function convert(body: Record<string, unknown>) {
  return convertResponsesRequestToChatRequest(parseOpenAIRequestBody(responsesRequestSchema, { model: 'm', ...body }));
}

describe('convertResponsesRequestToChatRequest', () => {
  it('turns instructions, roles, images and files into canonical messages', () => {
    const request = convert({
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Use metric units.' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in these?' },
            { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'low' },
            { type: 'input_image', image_url: `data:image/png;base64,${PNG_BASE64}` },
            { type: 'input_file', filename: 'notes.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'developer', parts: [{ type: 'text', text: 'Use metric units.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'low' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG_BASE64 } },
          { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'notes.pdf' },
        ],
      },
    ]);
  });

  it('makes reasoning, an assistant message and function calls one assistant turn, and tool outputs tool messages', () => {
    const request = convert({
      input: [
        { role: 'user', content: 'List files, then read one.' },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan: ls.' }], encrypted_content: null },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Listing.', annotations: [] }] },
        { type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'function_call', call_id: 'c2', name: 'shell', arguments: '' },
        { type: 'function_call_output', call_id: 'c1', output: 'a.txt' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'b' }, { type: 'input_text', text: '.txt' }] },
      ],
    });
    assert.deepEqual(request.messages.slice(1), [
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Plan: ls.' },
          { type: 'text', text: 'Listing.' },
          { type: 'tool-call', id: 'c1', name: 'shell', arguments: '{"command":["ls"]}' },
          { type: 'tool-call', id: 'c2', name: 'shell', arguments: '{}' },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'shell', content: 'a.txt' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c2', toolName: 'shell', content: 'b.txt' }] },
    ]);
  });

  it('maps the generation settings, tools, tool_choice, text.format and reasoning effort', () => {
    const request = convert({
      input: 'hi',
      stream: true,
      max_output_tokens: 50,
      temperature: 0.4,
      top_p: 0.5,
      parallel_tool_calls: false,
      safety_identifier: 'user-9',
      tools: [{ type: 'function', name: 'lookup', description: 'Looks up', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: true }],
      tool_choice: { type: 'function', name: 'lookup' },
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      reasoning: { effort: 'xhigh', summary: 'auto' },
      store: false,
      metadata: { session: 'a' },
      prompt_cache_key: 'k',
      include: ['reasoning.encrypted_content'],
    });
    assert.equal(request.stream, true);
    assert.equal(request.maxTokens, 50);
    assert.equal(request.temperature, 0.4);
    assert.equal(request.topP, 0.5);
    assert.equal(request.parallelToolCalls, false);
    assert.equal(request.user, 'user-9');
    assert.deepEqual(request.tools, [{ name: 'lookup', description: 'Looks up', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: true }]);
    assert.deepEqual(request.toolChoice, { name: 'lookup' });
    assert.deepEqual(request.responseFormat, { type: 'json-schema', schema: { type: 'object' }, name: 'answer', strict: true });
    assert.deepEqual(request.reasoning, { effort: 'max', summary: 'auto' });
    // store, metadata and include are llmux's own; prompt_cache_key goes on under its chat name for the provider to send or declare.
    assert.deepEqual(request.unmappedFields, { prompt_cache_key: 'k' });
  });

  it('puts the replayed history before the new input, after the new instructions', () => {
    const request = convertResponsesRequestToChatRequest(parseOpenAIRequestBody(responsesRequestSchema, { model: 'm', instructions: 'New rules.', input: 'And now?' }), [
      { item: { type: 'message', role: 'user', content: 'Before' }, param: 'previous_response_id' },
      { item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Answer' }] }, param: 'previous_response_id' },
    ]);
    assert.deepEqual(
      request.messages.map((message) => [message.role, message.parts[0]?.type === 'text' ? message.parts[0].text : '']),
      [
        ['system', 'New rules.'],
        ['user', 'Before'],
        ['assistant', 'Answer'],
        ['user', 'And now?'],
      ],
    );
  });
});
