import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { readOpenAIChatStream } from '../test-support/read-openai-chat-stream.ts';
import { scriptedOpenAIGatewayPerSuite } from '../test-support/start-scripted-openai-gateway.ts';

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const toolCallScript: ChatStreamEvent[] = [
  { type: 'response-start', id: 'chatcmpl-tools' },
  { type: 'tool-call-start', id: 'b0', toolCallId: 'call_weather', name: 'get_weather' },
  { type: 'tool-call-delta', id: 'b0', argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', id: 'b0', argumentsDelta: '"Paris"}' },
  { type: 'tool-call-end', id: 'b0' },
  { type: 'finish', finishReason: 'tool-calls', usage: { input: { total: 20 }, output: { total: 8 }, source: 'upstream' } },
];

const reasoningScript: ChatStreamEvent[] = [
  { type: 'response-start' },
  { type: 'reasoning-start', id: 'r' },
  { type: 'reasoning-delta', id: 'r', text: 'The user greets; ' },
  { type: 'reasoning-delta', id: 'r', text: 'answer briefly.' },
  { type: 'reasoning-end', id: 'r' },
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', text: 'Hello!' },
  { type: 'text-end', id: 't' },
  { type: 'finish', finishReason: 'stop', usage: { input: { total: 4 }, output: { total: 9, reasoning: 6 }, source: 'upstream' } },
];

describe('OpenAI chat completions through the openai SDK', () => {
  const suite = scriptedOpenAIGatewayPerSuite();

  it('answers a non-streamed chat and passes every parameter to the provider', async () => {
    const { data: completion, response } = await suite.client.chat.completions
      .create({
        model: 'gpt-test',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        temperature: 0.3,
        top_p: 0.8,
        max_completion_tokens: 64,
        stop: ['END', 'STOP'],
        seed: 42,
        frequency_penalty: 0.5,
        presence_penalty: -0.5,
        logit_bias: { '1234': 5 },
        user: 'user-7',
        reasoning_effort: 'low',
        response_format: { type: 'json_object' },
        parallel_tool_calls: true,
      })
      .withResponse();

    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.id, 'resp-1');
    assert.equal(completion.model, 'gpt-test');
    assert.equal(completion.choices[0]?.message.content, 'Hello there ☃');
    assert.equal(completion.choices[0]?.message.role, 'assistant');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(completion.usage, { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });

    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(response.headers.get('x-llmux-provider'), 'scripted');
    assert.equal(response.headers.get('x-llmux-model'), 'model-a');
    assert.match(response.headers.get('x-llmux-overhead-ms') ?? '', /^\d+\.\d{3}$/);

    assert.deepEqual(suite.provider.requests[0], {
      model: 'model-a',
      stream: false,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      ],
      temperature: 0.3,
      topP: 0.8,
      maxTokens: 64,
      stop: ['END', 'STOP'],
      seed: 42,
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      logitBias: { '1234': 5 },
      user: 'user-7',
      reasoning: { effort: 'low' },
      responseFormat: { type: 'json' },
      parallelToolCalls: true,
    });
  });

  it('streams text with the role first, usage last and the llmux headers', async () => {
    suite.provider.script = [
      { type: 'response-start', id: 'chatcmpl-s' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'Hel' },
      { type: 'text-delta', id: 't', text: 'lo' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 7, cacheRead: 4 }, output: { total: 2 }, source: 'upstream' } },
    ];
    const { data: stream, response } = await suite.client.chat.completions
      .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(response.headers.get('x-llmux-provider'), 'scripted');
    assert.equal(response.headers.get('x-llmux-model'), 'model-a');

    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: 'assistant', content: '' });
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Hello');
    assert.ok(chunks.every((chunk) => chunk.id === 'chatcmpl-s' && chunk.model === 'gpt-test' && chunk.created === chunks[0]?.created));
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.deepEqual(chunks.at(-1)?.usage, { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9, prompt_tokens_details: { cached_tokens: 4 } });
    assert.equal(suite.provider.requests[0]?.stream, true);
  });

  it('streams tool calls that the SDK assembles into finalChatCompletion()', async () => {
    suite.provider.script = toolCallScript;
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ];
    const stream = suite.client.chat.completions.stream({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      tool_choice: 'required',
    });
    const argumentDeltas: string[] = [];
    stream.on('tool_calls.function.arguments.delta', (event) => argumentDeltas.push(event.arguments_delta));
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0]?.message;
    assert.equal(message?.content, null);
    assert.deepEqual(message?.tool_calls, [{ id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    // The first delta carries the empty arguments string, as OpenAI's own streams do.
    assert.deepEqual(argumentDeltas, ['', '{"city":', '"Paris"}']);
    assert.deepEqual(suite.provider.requests[0]?.tools, [
      { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ]);
    assert.equal(suite.provider.requests[0]?.toolChoice, 'required');
  });

  it('returns whole tool calls without streaming', async () => {
    suite.provider.script = toolCallScript;
    const completion = await suite.client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Weather?' }] });
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(completion.choices[0]?.message.tool_calls, [
      { id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    assert.deepEqual(completion.usage, { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 });
  });

  it('sends a tool-result turn with the tool name resolved from the earlier call', async () => {
    await suite.client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_weather', content: '{"temp":21}' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const request = suite.provider.requests[0];
    assert.deepEqual(request?.messages.slice(1), [
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_weather', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_weather', toolName: 'get_weather', content: '{"temp":21}' }] },
    ]);
    assert.deepEqual(request?.toolChoice, { name: 'get_weather' });
  });

  it('gives reasoning as reasoning_content, streamed and not, with reasoning tokens in usage', async () => {
    suite.provider.script = reasoningScript;
    const completion = await suite.client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'high' });
    const message = completion.choices[0]?.message as OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.reasoning_content, 'The user greets; answer briefly.');
    assert.equal(message.content, 'Hello!');
    assert.deepEqual(completion.usage?.completion_tokens_details, { reasoning_tokens: 6 });
    assert.deepEqual(suite.provider.requests[0]?.reasoning, { effort: 'high' });

    const stream = await suite.client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const { reasoning, content } = await readOpenAIChatStream(stream);
    assert.equal(reasoning, 'The user greets; answer briefly.');
    assert.equal(content, 'Hello!');
  });

  it('passes images to the provider as image parts', async () => {
    await suite.client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}`, detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://images.example/cat.jpg' } },
          ],
        },
      ],
    });
    assert.deepEqual(suite.provider.requests[0]?.messages[0]?.parts, [
      { type: 'text', text: 'Compare these' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG_BASE64 }, detail: 'low' },
      { type: 'image', source: { kind: 'url', url: 'https://images.example/cat.jpg' } },
    ]);
  });
});
