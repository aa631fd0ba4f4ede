import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertChatRequestToOllama } from './convert-chat-request-to-ollama.ts';
import type { OllamaChatRequestBody } from './ollama-chat-request-body.ts';

function chat(request: ChatRequest): { body: OllamaChatRequestBody; degraded: { field: string }[] } {
  const conversion = convertChatRequestToOllama(request, 'local');
  assert.equal(conversion.path, '/api/chat');
  if (conversion.path !== '/api/chat') throw new Error('not a chat');
  return conversion;
}

const base: ChatRequest = { model: 'qwen3', stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] };

describe('convertChatRequestToOllama', () => {
  it('declares a tool result marked as an error, which Ollama cannot mark, and sends its text', () => {
    const { body, degraded } = chat({
      ...base,
      messages: [
        { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_9', name: 'run', arguments: '{}' }] },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_9', toolName: 'run', content: 'exit 1', isError: true }] },
      ],
    });
    assert.deepEqual(body.messages.at(-1), { role: 'tool', content: 'exit 1', tool_call_id: 'call_9', tool_name: 'run' });
    assert.deepEqual(degraded.map((entry) => entry.field), ['is_error']);
    assert.deepEqual(chat({ ...base, messages: [{ role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c', content: 'ok' }] }] }).degraded, []);
  });

  it('sends a tool round with object arguments, tool names and ids, images as raw base64 and reasoning as thinking', () => {
    const { body, degraded } = chat(
      {
        ...base,
        messages: [
          { role: 'developer', parts: [{ type: 'text', text: 'Be brief.' }] },
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' } },
            ],
          },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'Need the tool.' },
              { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
            ],
          },
          { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', content: '{"temp":21}' }] },
        ],
        tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      },
    );
    assert.deepEqual(degraded, []);
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather here?', images: ['iVBORw0KGgo=', '/9j/4AAQ'] },
      { role: 'assistant', content: '', thinking: 'Need the tool.', tool_calls: [{ id: 'call_1', function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } }] },
      { role: 'tool', content: '{"temp":21}', tool_call_id: 'call_1', tool_name: 'get_weather' },
    ]);
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]);
  });

  it('puts sampling in options with num_ctx and num_predict, think levels, format and keep_alive', () => {
    const { body, degraded } = convertChatRequestToOllama(
      {
        ...base,
        temperature: 0.2,
        topP: 0.9,
        topK: 20,
        maxTokens: 64,
        contextLength: 8192,
        stop: ['END'],
        seed: 7,
        reasoning: { effort: 'minimal' },
        responseFormat: { type: 'json-schema', schema: { type: 'object' } },
        unmappedFields: { keep_alive: '10m', mirostat: 1 },
        logitBias: { '1': 2 },
      },
      'local',
    );
    assert.deepEqual(body.options, { temperature: 0.2, top_p: 0.9, top_k: 20, stop: ['END'], seed: 7, num_predict: 64, num_ctx: 8192 });
    assert.equal(body.think, 'low');
    assert.deepEqual(body.format, { type: 'object' });
    assert.equal(body.keep_alive, '10m');
    assert.deepEqual(degraded.map((entry) => entry.field), ['logit_bias', 'mirostat']);
    assert.equal(convertChatRequestToOllama({ ...base, reasoning: { effort: 'none' } }, 'local').body.think, false);
    assert.equal(convertChatRequestToOllama({ ...base, responseFormat: { type: 'json' } }, 'local').body.format, 'json');
  });

  it('refuses an image URL and a file with a 400 naming the provider, instead of dropping them', () => {
    for (const part of [
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' }, filename: 'a.pdf' },
    ] as const) {
      assert.throws(
        () => convertChatRequestToOllama({ ...base, messages: [{ role: 'user', parts: [part] }] }, 'local'),
        (error: unknown) => error instanceof GatewayError && error.status === 400 && /provider 'local' \(Ollama\)/.test(error.message),
      );
    }
  });

  it("leaves tools out for tool_choice none, and declares a forced tool choice Ollama cannot make", () => {
    const tools = [{ name: 't', parameters: { type: 'object' } }];
    assert.equal(chat({ ...base, tools, toolChoice: 'none' }).body.tools, undefined);
    assert.deepEqual(chat({ ...base, tools, toolChoice: 'required' }).degraded.map((entry) => entry.field), ['tool_choice']);
  });

  it('sends fill-in-the-middle and raw prompts to /api/generate with the system text and the same options', () => {
    const conversion = convertChatRequestToOllama(
      {
        ...base,
        messages: [
          { role: 'system', parts: [{ type: 'text', text: 'Complete code.' }] },
          { role: 'user', parts: [{ type: 'text', text: 'def add(a, b):' }] },
        ],
        suffix: '\n\nprint(add(1, 2))',
        maxTokens: 20,
        unmappedFields: { keep_alive: 300 },
      },
      'local',
    );
    assert.deepEqual(conversion, {
      path: '/api/generate',
      body: { model: 'qwen3', prompt: 'def add(a, b):', suffix: '\n\nprint(add(1, 2))', system: 'Complete code.', stream: true, options: { num_predict: 20 }, keep_alive: 300 },
      degraded: [],
    });
    const raw = convertChatRequestToOllama({ ...base, rawPrompt: true }, 'local');
    assert.deepEqual(raw.body, { model: 'qwen3', prompt: 'Hi', raw: true, stream: true });
  });
});
