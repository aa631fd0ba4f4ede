import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeOllamaUpstream } from '../test-support/fake-ollama-upstream.ts';
import { readOpenAIChatStream } from '../test-support/read-openai-chat-stream.ts';
import { startTestGateway } from '../test-support/start-test-gateway.ts';
import { clearCalls, upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * The openai SDK and ollama-js → llmux → provider type `ollama` → a fake of a real Ollama: text,
 * streaming, a full tool round, images, thinking, usage and Ollama's metrics, discovery with real
 * capabilities, embeddings, and Ollama's own refusals and mid-stream errors.
 */
describe('clients served by an upstream Ollama', () => {
  const suite = upstreamClientsPerSuite(
    () =>
      FakeOllamaUpstream.start([
        { name: 'qwen3', family: 'qwen3', capabilities: ['completion', 'tools', 'thinking'], contextLength: 40960 },
        { name: 'llava:7b', family: 'llama', capabilities: ['completion', 'vision'], contextLength: 4096 },
        { name: 'nomic-embed-text', family: 'nomic-bert', capabilities: ['embedding'], contextLength: 2048 },
        { name: 'qwen2.5-coder:1.5b', family: 'qwen2', capabilities: ['completion', 'insert'], contextLength: 32768 },
      ]),
    (upstream) => ({ providers: [{ id: 'box', type: 'ollama', base_url: upstream.baseUrl }] }),
    clearCalls,
  );

  it('streams thinking and text to an OpenAI client, with Ollama options and usage from its metrics', async () => {
    suite.upstream.reply({ thinking: ['Greet', ' back.'], content: ['Hel', 'lo ☃'], promptEvalCount: 31, evalCount: 9 });
    const stream = await suite.openai.chat.completions.create({
      model: 'box/qwen3',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 40,
      temperature: 0.3,
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
    const { content, reasoning, usage } = await readOpenAIChatStream(stream);
    assert.equal(content, 'Hello ☃');
    assert.equal(reasoning, 'Greet back.');
    assert.equal(usage?.prompt_tokens, 31);
    assert.equal(usage?.completion_tokens, 9);
    const sent = suite.upstream.chatCalls()[0]?.json as Record<string, unknown>;
    assert.deepEqual(sent, { model: 'qwen3', messages: [{ role: 'user', content: 'Hi' }], stream: true, think: 'low', options: { temperature: 0.3, num_predict: 40 } });
  });

  it('runs a full tool round for an OpenAI client: the call with object arguments goes back with its id and name', async () => {
    suite.upstream.reply({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Tokyo' } }] });
    const first = await suite.openai.chat.completions.create({ model: 'box/qwen3', messages: [{ role: 'user', content: 'Weather in Tokyo?' }], tools: [WEATHER_TOOL] });
    const call = first.choices[0]?.message.tool_calls?.[0];
    assert.equal(first.choices[0]?.finish_reason, 'tool_calls');
    assert.ok(call !== undefined && call.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Tokyo' });

    suite.upstream.reply({ content: ['Sunny, 21°C.'] });
    const second = await suite.openai.chat.completions.create({
      model: 'box/qwen3',
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Tokyo?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' },
      ],
    });
    assert.equal(second.choices[0]?.message.content, 'Sunny, 21°C.');
    const sent = suite.upstream.chatCalls()[1]?.json as { messages: unknown[]; tools: unknown[] };
    assert.deepEqual(sent.messages.slice(1), [
      { role: 'assistant', content: '', tool_calls: [{ id: call.id, function: { index: 0, name: 'get_weather', arguments: { city: 'Tokyo' } } }] },
      { role: 'tool', content: '{"temp":21}', tool_call_id: call.id, tool_name: 'get_weather' },
    ]);
    assert.deepEqual(sent.tools, [WEATHER_TOOL]);
  });

  it('serves ollama-js: thinking and a tool call streamed, a tool result sent back by name', async () => {
    suite.upstream.reply({ thinking: ['Need weather.'], toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], promptEvalCount: 40, evalCount: 7 });
    const stream = await suite.ollama.chat({ model: 'box/qwen3', messages: [{ role: 'user', content: 'Oslo?' }], tools: [WEATHER_TOOL], think: true, stream: true, keep_alive: '-1' });
    let thinking = '';
    const calls: { name: string; arguments: Record<string, unknown> }[] = [];
    let final: { done_reason?: string; prompt_eval_count?: number; eval_count?: number } | undefined;
    for await (const chunk of stream) {
      thinking += chunk.message.thinking ?? '';
      for (const toolCall of chunk.message.tool_calls ?? []) calls.push({ name: toolCall.function.name, arguments: toolCall.function.arguments });
      if (chunk.done) final = chunk;
    }
    assert.equal(thinking, 'Need weather.');
    assert.equal((suite.upstream.chatCalls()[0]?.json as { keep_alive?: unknown }).keep_alive, -1);
    assert.deepEqual(calls, [{ name: 'get_weather', arguments: { city: 'Oslo' } }]);
    assert.equal(final?.prompt_eval_count, 40);
    assert.equal(final?.eval_count, 7);

    suite.upstream.reply({ content: ['Cold.'] });
    const answer = await suite.ollama.chat({
      model: 'box/qwen3',
      messages: [
        { role: 'user', content: 'Oslo?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] },
        { role: 'tool', content: '-5°C', tool_name: 'get_weather' },
      ],
      tools: [WEATHER_TOOL],
    });
    assert.equal(answer.message.content, 'Cold.');
    const sent = suite.upstream.chatCalls()[1]?.json as { messages: Record<string, unknown>[] };
    assert.equal(sent.messages[2]?.tool_name, 'get_weather');
    assert.deepEqual((sent.messages[1]?.tool_calls as unknown[])[0], { id: (sent.messages[1]?.tool_calls as { id: string }[])[0]?.id, function: { index: 0, name: 'get_weather', arguments: { city: 'Oslo' } } });
  });

  it('sends images as raw base64 from both clients', async () => {
    suite.upstream.reply({ content: ['A pixel.'] });
    const viaOpenAI = await suite.openai.chat.completions.create({
      model: 'box/llava:7b',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } }] }],
    });
    assert.equal(viaOpenAI.choices[0]?.message.content, 'A pixel.');
    suite.upstream.reply({ content: ['Still a pixel.'] });
    const viaOllama = await suite.ollama.chat({ model: 'box/llava:7b', messages: [{ role: 'user', content: 'And now?', images: [PIXEL] }] });
    assert.equal(viaOllama.message.content, 'Still a pixel.');
    for (const call of suite.upstream.chatCalls()) assert.deepEqual((call.json as { messages: { images?: string[] }[] }).messages[0]?.images, [PIXEL]);
  });

  it("gives the client Ollama's own refusal of a capability the model lacks, as a 400 in its protocol", async () => {
    const refused = await suite.openai.chat.completions.create({ model: 'box/llava:7b', messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL] }).catch((error: unknown) => error);
    assert.ok(refused instanceof OpenAI.APIError);
    assert.equal(refused.status, 400);
    assert.match(refused.message, /registry\.ollama\.ai\/library\/llava:7b does not support tools/);
    const image = await suite.openai.chat.completions
      .create({ model: 'box/qwen3', messages: [{ role: 'user', content: [{ type: 'text', text: 'What?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } }] }] })
      .catch((error: unknown) => error);
    assert.ok(image instanceof OpenAI.APIError);
    assert.equal(image.status, 400);
    assert.match(image.message, /"(box\/)?qwen3(:latest)?" does not support vision/);
    const thinking = await suite.ollama.chat({ model: 'box/llava:7b', messages: [{ role: 'user', content: 'Hi' }], think: true }).catch((error: unknown) => error);
    assert.ok(thinking instanceof Error);
    assert.match(thinking.message, /"(box\/)?llava:7b" does not support thinking/);
    assert.equal((thinking as Error & { status_code?: number }).status_code, 400);
  });

  it("ends the client's stream with an error when Ollama fails after the stream started", async () => {
    suite.upstream.reply({ content: ['Part'], errorAfter: 'an error was encountered while running the model: CUDA error' });
    const stream = await suite.ollama.chat({ model: 'box/qwen3', messages: [{ role: 'user', content: 'Hi' }], think: false, stream: true });
    let content = '';
    const failure = await (async () => {
      for await (const chunk of stream) content += chunk.message.content;
    })().catch((error: unknown) => error);
    assert.equal(content, 'Part');
    assert.ok(failure instanceof Error);
    assert.match(failure.message, /CUDA error/);
  });

  it('lists the upstream models with their real capabilities and context lengths, and embeds', async () => {
    const models = await suite.openai.models.list();
    const ids = models.data.map((model) => model.id);
    assert.deepEqual(ids, ['qwen3:latest', 'llava:7b', 'nomic-embed-text:latest', 'qwen2.5-coder:1.5b']);
    const shown = await suite.ollama.show({ model: 'qwen3' });
    assert.deepEqual([...shown.capabilities].sort(), ['completion', 'thinking', 'tools']);
    assert.equal(Object.entries(shown.model_info).find(([key]) => key.endsWith('.context_length'))?.[1], 40960);

    const embedded = await suite.openai.embeddings.create({ model: 'box/nomic-embed-text', input: ['one', 'three'] });
    assert.equal(embedded.data.length, 2);
    const norm = Math.hypot(...(embedded.data[0]?.embedding ?? []));
    assert.ok(Math.abs(norm - 1) < 1e-6);
    assert.equal(embedded.usage.prompt_tokens, 6);
  });

  it("sends an ollama-js fill-in-the-middle request to the upstream's /api/generate", async () => {
    suite.upstream.reply({ content: ['return', ' a + b'] });
    const answer = await suite.ollama.generate({ model: 'box/qwen2.5-coder:1.5b', prompt: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))', options: { num_predict: 16 } });
    assert.equal(answer.response, 'return a + b');
    const call = suite.upstream.calls.find((entry) => entry.path === '/api/generate');
    assert.deepEqual(call?.json, { model: 'qwen2.5-coder:1.5b', prompt: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))', stream: true, options: { num_predict: 16 } });
  });

  it("sends the provider's default_max_tokens when the client sets none, and cuts a larger limit to max_tokens_cap, declared", async () => {
    const capped = await startTestGateway({ providers: [{ id: 'capped', type: 'ollama', base_url: suite.upstream.baseUrl, default_max_tokens: 64, max_tokens_cap: 128 }] });
    try {
      const client = new OpenAI({ baseURL: `${capped.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
      await client.chat.completions.create({ model: 'capped/qwen3', messages: [{ role: 'user', content: 'Hi' }] });
      const { response } = await client.chat.completions.create({ model: 'capped/qwen3', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1000 }).withResponse();
      const sent = suite.upstream.chatCalls().map((call) => (call.json as { options?: { num_predict?: number } }).options?.num_predict);
      assert.deepEqual(sent, [64, 128]);
      assert.equal(response.headers.get('x-llmux-degraded'), 'max_tokens');
    } finally {
      await capped.close();
    }
  });
});
