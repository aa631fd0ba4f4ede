import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { geminiOllamaGatewayPerSuite } from '../test-support/start-gemini-ollama-gateway.ts';

const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } }];
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * The Anthropic SDK → llmux → Gemini and Ollama upstreams: thinking, a full tool round (on
 * Gemini 3 with its thought signature carried through Anthropic's `thinking` blocks or the
 * reasoning-state store), images and usage.
 */
describe('the Anthropic SDK served by Gemini and Ollama', () => {
  const suite = geminiOllamaGatewayPerSuite((gateway) => new Anthropic({ apiKey: 'unused', baseURL: gateway.baseUrl, maxRetries: 0 }));

  it('runs a streamed tool round on Gemini 3 with thinking, the signatures going back on the next turn', async () => {
    suite.gemini.reply({ chunks: [[{ text: 'Use the tool.', thought: true, thoughtSignature: 'dGhpbmtpbmc=' }], [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }]], usage: { promptTokenCount: 30, candidatesTokenCount: 6, thoughtsTokenCount: 12 } });
    const first = await suite.client.messages.stream({ model: 'gem/gemini-3-pro-preview', max_tokens: 500, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] }).finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    assert.deepEqual(first.content.map((block) => block.type), ['thinking', 'tool_use']);
    const call = first.content[1];
    assert.ok(call?.type === 'tool_use');
    assert.deepEqual(call.input, { city: 'Paris' });
    assert.equal(first.usage.input_tokens, 30);
    assert.equal(first.usage.output_tokens, 18);

    suite.gemini.reply({ chunks: [[{ text: 'Sunny.' }]] });
    const second = await suite.client.messages.create({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 500,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '{"temp":18}' }] },
      ],
    });
    assert.equal(second.content[0]?.type === 'text' ? second.content[0].text : '', 'Sunny.');
    const sent = suite.gemini.generateCalls()[1]?.json as { contents: { role: string; parts: Record<string, unknown>[] }[] };
    assert.deepEqual(sent.contents[1]?.parts[0], { text: 'Use the tool.', thought: true, thoughtSignature: 'dGhpbmtpbmc=' });
    const replayed = sent.contents[1]?.parts[1];
    assert.ok(typeof replayed?.thoughtSignature === 'string' && suite.gemini.issuedSignatures.has(replayed.thoughtSignature));
    assert.deepEqual(sent.contents[2], { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 18 } } }] });
  });

  it('runs a tool round with an image on an upstream Ollama, with its thinking and usage', async () => {
    suite.ollama.reply({ thinking: ['A picture and a city.'], toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], promptEvalCount: 50, evalCount: 9 });
    const first = await suite.client.messages.create({
      model: 'box/qwen3',
      max_tokens: 300,
      tools,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } }, { type: 'text', text: 'Weather where this is, Oslo?' }] }],
    });
    assert.deepEqual(first.content.map((block) => block.type), ['thinking', 'tool_use']);
    assert.equal(first.usage.input_tokens, 50);
    assert.equal(first.usage.output_tokens, 9);
    const call = first.content[1];
    assert.ok(call?.type === 'tool_use');
    suite.ollama.reply({ content: ['Cold.'] });
    const second = await suite.client.messages.create({
      model: 'box/qwen3',
      max_tokens: 300,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: [call] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '-5' }] },
      ],
    });
    assert.equal(second.content[0]?.type === 'text' ? second.content[0].text : '', 'Cold.');
    const sentFirst = suite.ollama.chatCalls()[0]?.json as { messages: { images?: string[] }[]; think?: unknown };
    assert.deepEqual(sentFirst.messages[0]?.images, [PIXEL]);
    assert.equal(sentFirst.think, 'low', 'a 1024-token budget is a low think level');
    const sentSecond = suite.ollama.chatCalls()[1]?.json as { messages: Record<string, unknown>[] };
    assert.deepEqual(sentSecond.messages.at(-1), { role: 'tool', content: '-5', tool_call_id: call.id, tool_name: 'get_weather' });
  });
});
