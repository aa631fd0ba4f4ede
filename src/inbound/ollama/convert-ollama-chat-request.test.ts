import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertOllamaChatRequest } from './convert-ollama-chat-request.ts';
import type { OllamaChatRequest } from './ollama-chat-request-schema.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');

function refusal(body: OllamaChatRequest): GatewayError {
  try {
    convertOllamaChatRequest(body, 'm');
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    return error;
  }
  assert.fail('expected the request to be refused');
}

describe('convertOllamaChatRequest', () => {
  it('maps messages, images, tools and settings to the canonical request', () => {
    const request = convertOllamaChatRequest(
      {
        model: 'llama3.2',
        messages: [
          { role: 'SYSTEM', content: 'Be brief.' },
          { role: 'user', content: 'What is this?', images: [PNG] },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        format: { type: 'object' },
        think: 'high',
        options: { temperature: 0.2, top_p: 0.9, top_k: 40, min_p: 0.05, num_predict: 128, stop: '###', seed: 42, repeat_penalty: 1.1, presence_penalty: 0.5, frequency_penalty: 0.25, num_ctx: 8192, mirostat: 2, tfs_z: null },
      },
      'served',
    );
    assert.deepEqual(request, {
      model: 'served',
      stream: true,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } }] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
      reasoning: { effort: 'high' },
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      minP: 0.05,
      maxTokens: 128,
      stop: ['###'],
      seed: 42,
      repeatPenalty: 1.1,
      presencePenalty: 0.5,
      frequencyPenalty: 0.25,
      contextLength: 8192,
    });
  });

  it('gives history tool calls ids and matches tool results to them by name, then in order', () => {
    const request = convertOllamaChatRequest(
      {
        messages: [
          { role: 'user', content: 'Weather and time?' },
          {
            role: 'assistant',
            content: '',
            thinking: 'two tools',
            tool_calls: [
              { function: { name: 'get_time', arguments: {} } },
              { function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
            ],
          },
          { role: 'tool', content: 'sunny', tool_name: 'get_weather' },
          { role: 'tool', content: '12:00' },
        ],
        stream: false,
      },
      'm',
    );
    const assistant = request.messages[1];
    assert.equal(assistant?.parts[0]?.type, 'reasoning');
    const calls = assistant?.parts.filter((part) => part.type === 'tool-call') ?? [];
    assert.equal(calls.length, 2);
    const [time, weather] = calls;
    assert.ok(time?.type === 'tool-call' && weather?.type === 'tool-call');
    assert.match(time.id, /^call_[a-z0-9]{8}$/);
    assert.equal(weather.arguments, '{"city":"Tokyo"}');
    assert.deepEqual(request.messages[2]?.parts, [{ type: 'tool-result', toolCallId: weather.id, toolName: 'get_weather', content: 'sunny' }]);
    assert.deepEqual(request.messages[3]?.parts, [{ type: 'tool-result', toolCallId: time.id, toolName: 'get_time', content: '12:00' }]);
    assert.equal(request.stream, false);
  });

  it('keeps tool call ids the client sent', () => {
    const request = convertOllamaChatRequest(
      {
        messages: [
          { role: 'assistant', content: '', tool_calls: [{ id: 'call_abc', function: { name: 'f', arguments: { a: 1 } } }] },
          { role: 'tool', content: 'ok', tool_call_id: 'call_abc' },
        ],
      },
      'm',
    );
    assert.deepEqual(request.messages[0]?.parts, [{ type: 'tool-call', id: 'call_abc', name: 'f', arguments: '{"a":1}' }]);
    assert.deepEqual(request.messages[1]?.parts, [{ type: 'tool-result', toolCallId: 'call_abc', toolName: 'f', content: 'ok' }]);
  });

  it('maps think and format as Ollama defines them', () => {
    assert.deepEqual(convertOllamaChatRequest({ messages: [], think: true }, 'm').reasoning, { effort: 'medium' });
    assert.deepEqual(convertOllamaChatRequest({ messages: [], think: false }, 'm').reasoning, { effort: 'none' });
    assert.deepEqual(convertOllamaChatRequest({ messages: [], format: 'json' }, 'm').responseFormat, { type: 'json' });
    assert.equal(convertOllamaChatRequest({ messages: [], format: '' }, 'm').responseFormat, undefined);
    assert.equal(convertOllamaChatRequest({ messages: [], options: { num_predict: -1, seed: -1 } }, 'm').maxTokens, undefined);
  });

  it('refuses what cannot be right, naming the field', () => {
    assert.equal(
      refusal({ messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: 'not json' } }] }] }).message,
      'invalid tool call arguments in messages[0].tool_calls[0].function.arguments: expected a JSON object, got "not json"',
    );
    assert.equal(refusal({ messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: [1] } }] }] }).param, 'messages[0].tool_calls[0].function.arguments');
    assert.equal(refusal({ messages: [{ role: 'user', content: 'x', images: ['***'] }] }).message, 'illegal base64 data at input byte 0');
    assert.equal(refusal({ messages: [{ role: 'robot', content: 'x' }] }).param, 'messages[0].role');
    assert.equal(refusal({ messages: [], options: { temperature: 'hot' } }).message, 'option "temperature" must be of type float32');
    assert.equal(refusal({ messages: [], options: { stop: [1] } }).message, 'option "stop" must be of an array of strings');
    assert.equal(refusal({ messages: [], think: 'extreme' }).message, 'invalid think value: "extreme" (must be "high", "medium", "low", "max", true, or false)');
    assert.equal(refusal({ messages: [], format: 'xml' }).message, 'invalid format: "\\"xml\\""; expected "json" or a valid JSON Schema object');
    assert.equal(refusal({ messages: [], top_logprobs: 21 }).message, 'top_logprobs must be between 0 and 20');
  });
});
