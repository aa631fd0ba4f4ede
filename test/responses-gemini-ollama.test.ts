import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { geminiOllamaGatewayPerSuite } from '../test-support/start-gemini-ollama-gateway.ts';

const WEATHER_TOOL = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * The Responses API (openai SDK `responses`) → llmux → Gemini and Ollama upstreams: streamed
 * reasoning and text with usage, a full tool round (on Gemini 3 with its thought signature carried
 * by the reasoning-state store), and images.
 */
describe('the Responses API served by Gemini and Ollama', () => {
  const suite = geminiOllamaGatewayPerSuite((gateway) => new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 }));

  for (const target of ['gem/gemini-3-pro-preview', 'box/qwen3']) {
    it(`streams reasoning and text with usage from ${target}`, async () => {
      if (target.startsWith('gem/')) suite.gemini.reply({ chunks: [[{ text: 'Greet.', thought: true }], [{ text: 'Hello ☃' }]], usage: { promptTokenCount: 12, candidatesTokenCount: 3, thoughtsTokenCount: 5 } });
      else suite.ollama.reply({ thinking: ['Greet.'], content: ['Hello ☃'], promptEvalCount: 12, evalCount: 8 });
      const final = await suite.client.responses.stream({ model: target, input: 'Hi', reasoning: { effort: 'low' } }).finalResponse();
      assert.deepEqual(final.output.map((item) => item.type), ['reasoning', 'message']);
      assert.equal(final.output_text, 'Hello ☃');
      assert.equal(final.usage?.input_tokens, 12);
      assert.equal(final.usage?.output_tokens, 8);
    });
  }

  it('runs a tool round on Gemini 3 with an image, its thought signature coming back though the client never saw it', async () => {
    suite.gemini.reply({ chunks: [[{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }]] });
    const first = await suite.client.responses.create({
      model: 'gem/gemini-3-pro-preview',
      tools: [WEATHER_TOOL],
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather where this is?' }, { type: 'input_image', image_url: `data:image/png;base64,${PIXEL}`, detail: 'auto' }] }],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
    const firstSent = suite.gemini.generateCalls()[0]?.json as { contents: { parts: Record<string, unknown>[] }[] };
    assert.deepEqual(firstSent.contents[0]?.parts[1], { inlineData: { mimeType: 'image/png', data: PIXEL } });

    suite.gemini.reply({ chunks: [[{ text: 'Sunny.' }]] });
    const second = await suite.client.responses.create({
      model: 'gem/gemini-3-pro-preview',
      tools: [WEATHER_TOOL],
      input: [
        { role: 'user', content: 'Weather where this is?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '{"temp":18}' },
      ],
    });
    assert.equal(second.output_text, 'Sunny.');
    assert.equal(suite.gemini.generateCalls().length, 2);
    const sent = suite.gemini.generateCalls()[1]?.json as { contents: { role: string; parts: Record<string, unknown>[] }[] };
    const replayed = sent.contents[1]?.parts[0];
    assert.ok(typeof replayed?.thoughtSignature === 'string' && suite.gemini.issuedSignatures.has(replayed.thoughtSignature));
    assert.deepEqual(sent.contents[2], { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 18 } } }] });
  });

  it('runs a tool round on an upstream Ollama', async () => {
    suite.ollama.reply({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const first = await suite.client.responses.create({ model: 'box/qwen3', tools: [WEATHER_TOOL], input: 'Weather in Oslo?' });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    suite.ollama.reply({ content: ['Cold.'] });
    const second = await suite.client.responses.create({
      model: 'box/qwen3',
      tools: [WEATHER_TOOL],
      input: [
        { role: 'user', content: 'Weather in Oslo?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '-5' },
      ],
    });
    assert.equal(second.output_text, 'Cold.');
    const sent = suite.ollama.chatCalls()[1]?.json as { messages: Record<string, unknown>[] };
    assert.deepEqual(sent.messages.slice(1), [
      { role: 'assistant', content: '', tool_calls: [{ id: call.call_id, function: { index: 0, name: 'get_weather', arguments: { city: 'Oslo' } } }] },
      { role: 'tool', content: '-5', tool_call_id: call.call_id, tool_name: 'get_weather' },
    ]);
  });
});
