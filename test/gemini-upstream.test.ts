import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeGeminiServer } from '../test-support/fake-gemini-server.ts';
import { readOpenAIChatStream } from '../test-support/read-openai-chat-stream.ts';
import { clearCalls, upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string', format: 'email' } }, required: ['city'], additionalProperties: false } },
};
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * The openai SDK and ollama-js → llmux → provider type `gemini` → a fake of Google's Gemini API:
 * streaming with thoughts and usage, a full tool round on a Gemini 3 model whose thought
 * signature must come back although neither client protocol can carry it, images, schemas Gemini
 * refuses, a blocked prompt, 429 with RetryInfo, paginated discovery and embeddings.
 */
describe('clients served by the Gemini API', () => {
  const suite = upstreamClientsPerSuite(
    () =>
      FakeGeminiServer.start({
        apiKey: 'g-key',
        pageSize: 2,
        models: [
          { name: 'gemini-3-pro-preview', thinking: true, inputTokenLimit: 1048576, outputTokenLimit: 65536 },
          { name: 'gemini-2.5-flash', thinking: true },
          { name: 'gemini-2.0-flash' },
          { name: 'text-embedding-004', methods: ['embedContent'], inputTokenLimit: 2048 },
        ],
      }),
    (upstream) => ({ providers: [{ id: 'gem', type: 'gemini', api_key: 'g-key', base_url: upstream.baseUrl }] }),
    clearCalls,
  );

  it('streams thoughts and text to an OpenAI client with the key in x-goog-api-key, and usage from usageMetadata', async () => {
    suite.upstream.reply({ chunks: [[{ text: 'Think', thought: true }], [{ text: 'Hel' }], [{ text: 'lo ☃' }]] });
    const stream = await suite.openai.chat.completions.create({
      model: 'gem/gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 30,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { content, reasoning, usage } = await readOpenAIChatStream(stream);
    assert.equal(content, 'Hello ☃');
    assert.equal(reasoning, 'Think');
    assert.equal(usage?.prompt_tokens, 11);
    assert.equal(usage?.completion_tokens, 45);
    const call = suite.upstream.generateCalls()[0];
    assert.equal(call?.path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    assert.equal(call?.query.get('alt'), 'sse');
    assert.equal(call?.headers['x-goog-api-key'], 'g-key');
    assert.deepEqual(call?.json, {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 30, thinkingConfig: { includeThoughts: true } },
    });
  });

  it("runs a full tool round on Gemini 3 for an OpenAI client: the call's thought signature goes back although the client cannot carry it", async () => {
    suite.upstream.reply({ chunks: [[{ text: 'Look it up.', thought: true, thoughtSignature: 'dGhvdWdodC1zaWc=' }], [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }]] });
    const { data: first, response: firstResponse } = await suite.openai.chat.completions
      .create({ model: 'gem/gemini-3-pro-preview', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [WEATHER_TOOL] })
      .withResponse();
    const toolCall = first.choices[0]?.message.tool_calls?.[0];
    assert.equal(first.choices[0]?.finish_reason, 'tool_calls');
    assert.ok(toolCall !== undefined && toolCall.type === 'function');
    assert.deepEqual(JSON.parse(toolCall.function.arguments), { city: 'Paris' });
    assert.equal(firstResponse.headers.get('x-llmux-degraded'), 'tools[get_weather].parameters.properties.city.format');

    suite.upstream.reply({ chunks: [[{ text: 'Sunny.' }]] });
    const second = await suite.openai.chat.completions.create({
      model: 'gem/gemini-3-pro-preview',
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [toolCall] },
        { role: 'tool', tool_call_id: toolCall.id, content: '{"temp":18}' },
      ],
    });
    assert.equal(second.choices[0]?.message.content, 'Sunny.');
    assert.equal(suite.upstream.generateCalls().length, 2, 'Gemini took the replayed call: no signature stand-in, no retry');
    const sent = suite.upstream.generateCalls()[1]?.json as { contents: { role: string; parts: Record<string, unknown>[] }[]; tools: unknown };
    assert.deepEqual(sent.contents[1]?.parts[0], { text: 'Look it up.', thought: true, thoughtSignature: 'dGhvdWdodC1zaWc=' }, 'the signed thought came back from the reasoning-state store');
    const replayed = sent.contents[1]?.parts[1];
    assert.ok(typeof replayed?.thoughtSignature === 'string' && suite.upstream.issuedSignatures.has(replayed.thoughtSignature));
    assert.deepEqual(sent.contents[2], { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 18 } } }] });
    assert.deepEqual(sent.tools, [
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING', description: 'Format: email.' } }, propertyOrdering: ['city'], required: ['city'] } },
        ],
      },
    ]);
  });

  it('runs a tool round on Gemini 3 for ollama-js too, and declares the format it moved into a description', async () => {
    suite.upstream.reply({ chunks: [[{ text: 'Checking.', thought: true }], [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }]] });
    const first = await suite.ollama.chat({ model: 'gem/gemini-3-pro-preview', messages: [{ role: 'user', content: 'Oslo?' }], tools: [WEATHER_TOOL], think: true });
    assert.equal(first.message.thinking, 'Checking.');
    const call = first.message.tool_calls?.[0];
    assert.deepEqual(call?.function.arguments, { city: 'Oslo' });
    suite.upstream.reply({ chunks: [[{ text: 'Cold.' }]] });
    const answer = await suite.ollama.chat({
      model: 'gem/gemini-3-pro-preview',
      messages: [{ role: 'user', content: 'Oslo?' }, first.message, { role: 'tool', content: '-5', tool_name: 'get_weather' }],
      tools: [WEATHER_TOOL],
    });
    assert.equal(answer.message.content, 'Cold.');
    const sent = suite.upstream.generateCalls()[1]?.json as { contents: { parts: Record<string, unknown>[] }[] };
    const replayed = sent.contents[1]?.parts.find((part) => part.functionCall !== undefined);
    assert.ok(typeof replayed?.thoughtSignature === 'string' && suite.upstream.issuedSignatures.has(replayed.thoughtSignature));
    const raw = await fetch(`${suite.gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gem/gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }], tools: [WEATHER_TOOL] }),
    });
    assert.match(raw.headers.get('x-llmux-degraded') ?? '', /tools\[get_weather\]\.parameters\.properties\.city\.format/);
  });

  it('sends images inline from both clients', async () => {
    await suite.openai.chat.completions.create({
      model: 'gem/gemini-2.0-flash',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } }] }],
    });
    await suite.ollama.chat({ model: 'gem/gemini-2.0-flash', messages: [{ role: 'user', content: 'And?', images: [PIXEL] }] });
    for (const call of suite.upstream.generateCalls()) {
      const parts = (call.json as { contents: { parts: Record<string, unknown>[] }[] }).contents[0]?.parts;
      assert.deepEqual((parts?.[1]?.inlineData as { data: string } | undefined)?.data, PIXEL);
    }
  });

  it('refuses a tool schema Gemini cannot take with a 400 naming the keyword and the tool, before calling Gemini', async () => {
    const error = await suite.openai.chat.completions
      .create({ model: 'gem/gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'save', parameters: { type: 'object', properties: { blob: { type: 'object', additionalProperties: true } } } } }] })
      .catch((thrown: unknown) => thrown);
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 400);
    assert.match(error.message, /tool 'save': JSON Schema keyword 'additionalProperties' at parameters\.properties\.blob is not supported by Gemini/);
    assert.equal(suite.upstream.generateCalls().length, 0);
  });

  it('reports a blocked prompt as an error naming the reason, in each protocol', async () => {
    suite.upstream.reply({ blockReason: 'SAFETY' });
    const viaOpenAI = await suite.openai.chat.completions.create({ model: 'gem/gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }] }).catch((thrown: unknown) => thrown);
    assert.ok(viaOpenAI instanceof OpenAI.APIError);
    assert.equal(viaOpenAI.status, 400);
    assert.match(viaOpenAI.message, /Gemini blocked the prompt \(blockReason SAFETY\)/);
    suite.upstream.reply({ blockReason: 'PROHIBITED_CONTENT' });
    const viaOllama = await suite.ollama.chat({ model: 'gem/gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }] }).catch((thrown: unknown) => thrown);
    assert.ok(viaOllama instanceof Error);
    assert.match(viaOllama.message, /blockReason PROHIBITED_CONTENT/);
  });

  it('waits the RetryInfo delay of a 429 RESOURCE_EXHAUSTED and tries again', async () => {
    suite.upstream.reply({ error: { httpStatus: 429, status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota.', retryDelay: '0.02s' } });
    suite.upstream.reply({ chunks: [[{ text: 'After the wait.' }]] });
    const answer = await suite.openai.chat.completions.create({ model: 'gem/gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(answer.choices[0]?.message.content, 'After the wait.');
    assert.equal(suite.upstream.generateCalls().length, 2);
  });

  it('discovers every page of models with context lengths and capabilities, and embeds one text or several', async () => {
    const models = await suite.openai.models.list();
    assert.deepEqual(models.data.map((model) => model.id), ['gemini-3-pro-preview', 'gemini-2.5-flash', 'gemini-2.0-flash', 'text-embedding-004']);
    const shown = await suite.ollama.show({ model: 'gemini-3-pro-preview' });
    assert.ok(shown.capabilities.includes('thinking') && shown.capabilities.includes('tools'));
    assert.equal(Object.entries(shown.model_info).find(([key]) => key.endsWith('.context_length'))?.[1], 1048576);

    const one = await suite.openai.embeddings.create({ model: 'gem/text-embedding-004', input: 'hello' });
    assert.deepEqual(one.data[0]?.embedding, [1.25, 1.5, 1.75]);
    const many = await suite.openai.embeddings.create({ model: 'gem/text-embedding-004', input: ['a', 'bb'], dimensions: 2 });
    assert.deepEqual(many.data.map((entry) => entry.embedding), [[0.25, 0.5], [0.5, 0.75]]);
    const batch = suite.upstream.calls.find((call) => call.path.endsWith(':batchEmbedContents'));
    assert.deepEqual(batch?.json, {
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] }, outputDimensionality: 2 },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'bb' }] }, outputDimensionality: 2 },
      ],
    });
  });

  it('passes token log probabilities through when the client asks for them', async () => {
    suite.upstream.reply({ chunks: [[{ text: 'Yes' }], [{ text: '.' }]] });
    const stream = await suite.openai.chat.completions.create({ model: 'gem/gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }], logprobs: true, top_logprobs: 2, stream: true });
    const tokens: { token: string; logprob: number; top: string[] }[] = [];
    for await (const chunk of stream) {
      for (const entry of chunk.choices[0]?.logprobs?.content ?? []) tokens.push({ token: entry.token, logprob: entry.logprob, top: entry.top_logprobs.map((top) => top.token) });
    }
    assert.deepEqual(tokens, [
      { token: 'Yes', logprob: -0.25, top: ['Yes', '?'] },
      { token: '.', logprob: -0.25, top: ['.', '?'] },
    ]);
    assert.deepEqual((suite.upstream.generateCalls()[0]?.json as { generationConfig: unknown }).generationConfig, { responseLogprobs: true, logprobs: 2 });
  });
});
