import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { scriptedAnswer, scriptedOllamaGatewayPerSuite } from '../test-support/start-scripted-ollama-gateway.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('ollama-js against llmux: chat and generate', () => {
  const suite = scriptedOllamaGatewayPerSuite();

  it('streams chat through the client and reports the upstream timing as nanoseconds', async () => {
    const parts = [];
    for await (const part of await suite.ollama.chat({ model: 'qwen3', messages: [{ role: 'user', content: 'Hi' }], stream: true })) parts.push(part);
    assert.deepEqual(
      parts.map((part) => part.message.content),
      ['Hello', ' world', ''],
    );
    const final = parts[2];
    assert.equal(final?.done, true);
    assert.equal(final?.done_reason, 'stop');
    assert.deepEqual(
      [final?.total_duration, final?.load_duration, final?.prompt_eval_count, final?.prompt_eval_duration, final?.eval_count, final?.eval_duration],
      [321_000_000, 1_000_000, 26, 20_000_000, 9, 300_000_000],
    );
    assert.equal(suite.provider.requests[0]?.model, 'qwen-3-32b');
  });

  it('answers stream:false with one object, content concatenated', async () => {
    const response = await suite.ollama.chat({ model: 'qwen3:latest', messages: [{ role: 'user', content: 'Hi' }], stream: false });
    assert.equal(response.message.content, 'Hello world');
    assert.equal(response.message.role, 'assistant');
    assert.equal(response.done, true);
    assert.equal(response.eval_count, 9);
    assert.equal(response.total_duration, 321_000_000);
  });

  it('maps options, format, think, keep_alive and system to what reaches the provider', async () => {
    await suite.ollama.chat({
      model: 'qwen3',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      format: 'json',
      think: 'low',
      keep_alive: '1h30m',
      stream: false,
      options: { temperature: 0.3, top_p: 0.8, top_k: 20, min_p: 0.1, num_predict: 64, stop: ['END'], seed: 7, repeat_penalty: 1.2, presence_penalty: 0.4, frequency_penalty: 0.6, num_ctx: 4096, mirostat: 1 },
    });
    const request = suite.provider.requests[0];
    assert.deepEqual(
      { ...request, messages: undefined },
      {
        model: 'qwen-3-32b',
        messages: undefined,
        stream: false,
        responseFormat: { type: 'json' },
        reasoning: { effort: 'low' },
        temperature: 0.3,
        topP: 0.8,
        topK: 20,
        minP: 0.1,
        maxTokens: 64,
        stop: ['END'],
        seed: 7,
        repeatPenalty: 1.2,
        presencePenalty: 0.4,
        frequencyPenalty: 0.6,
        contextLength: 4096,
        providerOptions: { ollama: { keep_alive: '1h30m' } },
      },
    );
    assert.deepEqual(request?.messages[0], { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] });
    await suite.ollama.generate({ model: 'qwen3', prompt: 'Hi', system: 'Sys', format: { type: 'object', properties: { a: { type: 'string' } } }, stream: false });
    assert.deepEqual(suite.provider.requests[1]?.responseFormat, { type: 'json-schema', schema: { type: 'object', properties: { a: { type: 'string' } } } });
    assert.deepEqual(suite.provider.requests[1]?.messages[0], { role: 'system', parts: [{ type: 'text', text: 'Sys' }] });
  });

  it('sends images as base64 image parts, from bytes or data: URLs', async () => {
    await suite.ollama.chat({ model: 'qwen3', messages: [{ role: 'user', content: 'What is it?', images: [PNG] }], stream: false });
    await suite.ollama.generate({ model: 'qwen3', prompt: 'And this?', images: [`data:image/png;base64,${PNG.toString('base64')}`], stream: false });
    const image = { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG.toString('base64') } };
    assert.deepEqual(suite.provider.requests[0]?.messages[0]?.parts, [{ type: 'text', text: 'What is it?' }, image]);
    assert.deepEqual(suite.provider.requests[1]?.messages[0]?.parts, [{ type: 'text', text: 'And this?' }, image]);
  });

  it('round-trips tools: definitions in, whole tool calls out, results back with tool_name', async () => {
    suite.provider.script = scriptedAnswer([
      { type: 'tool-call-start', id: 'b0', toolCallId: 'x', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'b0', argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'tool-call-end', id: 'b0' },
    ]);
    const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    const streamed = [];
    for await (const part of await suite.ollama.chat({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Tokyo?' }], tools, stream: true })) streamed.push(part);
    const call = streamed[0]?.message.tool_calls?.[0] as unknown as { id: string; function: { index: number; name: string; arguments: unknown } };
    assert.match(call.id, /^call_[a-z0-9]{8}$/);
    assert.deepEqual(call.function, { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } });
    assert.equal(streamed.at(-1)?.done_reason, 'stop');
    assert.deepEqual(suite.provider.requests[0]?.tools, [{ name: 'get_weather', description: 'Weather', parameters: tools[0]?.function.parameters }]);

    const whole = await suite.ollama.chat({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Tokyo?' }], tools, stream: false });
    assert.deepEqual(whole.message.tool_calls?.[0]?.function, { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } as never);

    suite.provider.script = scriptedAnswer([{ type: 'text-delta', id: 't', text: 'Sunny.' }]);
    await suite.ollama.chat({
      model: 'gpt-oss-120b',
      messages: [
        { role: 'user', content: 'Tokyo?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Tokyo' } } }] },
        { role: 'tool', content: '22°C, sunny', tool_name: 'get_weather' },
      ],
      tools,
      stream: false,
    });
    const history = suite.provider.requests[2]?.messages ?? [];
    const sent = history[1]?.parts[0];
    assert.ok(sent?.type === 'tool-call');
    assert.deepEqual(history[2]?.parts, [{ type: 'tool-result', toolCallId: sent.id, toolName: 'get_weather', content: '22°C, sunny' }]);
  });

  it('sends think:false on as "no reasoning" only where the model may think at all', async () => {
    await suite.ollama.chat({ model: 'plain', messages: [{ role: 'user', content: '?' }], think: false, stream: false });
    assert.equal(suite.provider.requests[0]?.reasoning, undefined);
    await suite.ollama.generate({ model: 'plain', prompt: '?', think: false, stream: false });
    assert.equal(suite.provider.requests[1]?.reasoning, undefined);
    await suite.ollama.chat({ model: 'qwen3', messages: [{ role: 'user', content: '?' }], think: false, stream: false });
    assert.deepEqual(suite.provider.requests[2]?.reasoning, { effort: 'none' });
  });

  it('streams thinking in message.thinking and concatenates it when not streaming', async () => {
    suite.provider.script = scriptedAnswer([
      { type: 'reasoning-delta', id: 'r', text: 'Let me ' },
      { type: 'reasoning-delta', id: 'r', text: 'think.' },
      { type: 'text-delta', id: 't', text: '42' },
    ]);
    const parts = [];
    for await (const part of await suite.ollama.chat({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: '?' }], think: true, stream: true })) parts.push(part);
    assert.deepEqual(
      parts.map((part) => [part.message.thinking ?? null, part.message.content]),
      [['Let me ', ''], ['think.', ''], [null, '42'], [null, '']],
    );
    assert.deepEqual(suite.provider.requests[0]?.reasoning, { effort: 'medium' });
    const whole = await suite.ollama.generate({ model: 'gpt-oss-120b', prompt: '?', think: 'high', stream: false });
    assert.equal(whole.thinking, 'Let me think.');
    assert.equal(whole.response, '42');
    assert.deepEqual(suite.provider.requests[1]?.reasoning, { effort: 'high' });
  });

  it('streams generate and carries the conversation in `context`', async () => {
    const parts = [];
    for await (const part of await suite.ollama.generate({ model: 'qwen3', prompt: 'Hi', stream: true })) parts.push(part);
    assert.deepEqual(
      parts.map((part) => part.response),
      ['Hello', ' world', ''],
    );
    const context = parts.at(-1)?.context ?? [];
    assert.ok(context.length > 0 && context.every(Number.isInteger));
    await suite.ollama.generate({ model: 'qwen3', prompt: 'And then?', context, stream: false });
    assert.deepEqual(
      suite.provider.requests[1]?.messages.map((message) => [message.role, message.parts[0]?.type === 'text' ? message.parts[0].text : '']),
      [
        ['user', 'Hi'],
        ['assistant', 'Hello world'],
        ['user', 'And then?'],
      ],
    );
    const raw = await suite.ollama.generate({ model: 'qwen3', prompt: '<s>raw', raw: true, stream: false });
    assert.equal('context' in raw, false);
    assert.equal(suite.provider.requests[2]?.rawPrompt, true);
  });

  it('passes a suffix on only to models that can insert', async () => {
    await suite.ollama.generate({ model: 'coder', prompt: 'def f(', suffix: '    return x', stream: false });
    assert.equal(suite.provider.requests[0]?.suffix, '    return x');
    await assert.rejects(suite.ollama.generate({ model: 'qwen3', prompt: 'def f(', suffix: 'x', stream: false }), {
      name: 'ResponseError',
      error: 'registry.ollama.ai/library/qwen3:latest does not support insert',
      status_code: 400,
    });
  });

  it('throws the Ollama error of a failure before output, and of one mid-stream', async () => {
    await assert.rejects(suite.ollama.chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), {
      name: 'ResponseError',
      error: "model 'nope' not found; known models: qwen3, plain, coder, gpt-oss-120b, nomic-embed-text",
      status_code: 404,
    });
    suite.provider.script = new GatewayError('rate_limit', 'slow down', { retryable: false });
    await assert.rejects(suite.ollama.chat({ model: 'qwen3', messages: [{ role: 'user', content: 'x' }], stream: true }), { status_code: 429, error: 'slow down' });
    suite.provider.script = [
      { type: 'text-delta', id: 't', text: 'partial' },
      { type: 'error', error: new GatewayError('upstream', 'connection reset by upstream') },
    ];
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const part of await suite.ollama.chat({ model: 'qwen3', messages: [{ role: 'user', content: 'x' }], stream: true })) seen.push(part.message.content);
    }, /connection reset by upstream/);
    assert.deepEqual(seen, ['partial']);
    await assert.rejects(suite.ollama.generate({ model: 'qwen3', prompt: 'x', stream: false }), { status_code: 502, error: 'connection reset by upstream' });
  });
});

