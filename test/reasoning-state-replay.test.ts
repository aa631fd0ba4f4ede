import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { ScriptedProvider } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/** A turn as a provider that signs its reasoning and its tool calls answers it. */
function signedToolTurn(callId: string): ChatStreamEvent[] {
  return [
    { type: 'response-start', id: 'up-1' },
    { type: 'reasoning-start', id: '0' },
    { type: 'reasoning-delta', id: '0', text: 'Need the weather.' },
    { type: 'reasoning-end', id: '0', metadata: { provider: 'scripted', signature: 'sig-think' } },
    { type: 'tool-call-start', id: '1', toolCallId: callId, name: 'get_weather', metadata: { provider: 'scripted', signature: 'sig-call' } },
    { type: 'tool-call-delta', id: '1', argumentsDelta: '{"city":"Oslo"}' },
    { type: 'tool-call-end', id: '1' },
    { type: 'finish', finishReason: 'tool-calls' },
  ];
}

/**
 * The reasoning-state store through real clients: a provider that needs its signed reasoning and
 * call signatures back gets them on the next turn although the openai SDK and ollama-js cannot
 * carry them, and a conversation moved to another model gets none.
 */
describe('provider state kept across turns for clients that cannot carry it', () => {
  let provider: ScriptedProvider;
  let gateway: TestGateway;
  let client: OpenAI;
  let ollama: Ollama;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'model-a' }, { id: 'model-b' }]);
    gateway = await startTestGateway({ models: [{ name: 'a', target: 'scripted/model-a' }, { name: 'b', target: 'scripted/model-b' }] }, { adapters: [provider] });
    client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
    ollama = new Ollama({ host: gateway.baseUrl });
  });
  after(async () => {
    await gateway.close();
  });
  beforeEach(() => {
    provider.requests.length = 0;
  });

  const tools: OpenAI.Chat.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];

  it('re-attaches signed reasoning and call metadata on the openai SDK’s next turn, streamed', async () => {
    provider.script = signedToolTurn('call_s1');
    const first = await client.chat.completions.stream({ model: 'a', messages: [{ role: 'user', content: 'Weather?' }], tools }).finalChatCompletion();
    const call = first.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    provider.script = [{ type: 'text-delta', id: 't', text: 'Sunny.' }, { type: 'finish', finishReason: 'stop' }];
    await client.chat.completions.create({
      model: 'a',
      tools,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '22°C' },
      ],
    });
    assert.deepEqual(provider.requests[1]?.messages[1]?.parts, [
      { type: 'reasoning', text: 'Need the weather.', metadata: { provider: 'scripted', signature: 'sig-think' } },
      { type: 'tool-call', id: 'call_s1', name: 'get_weather', arguments: '{"city":"Oslo"}', metadata: { provider: 'scripted', signature: 'sig-call' } },
    ]);
  });

  it('does the same for a whole answer and ollama-js, and replaces unsigned reasoning the client sent back', async () => {
    provider.script = signedToolTurn('call_o1');
    const first = await ollama.chat({ model: 'a', messages: [{ role: 'user', content: 'Weather?' }], stream: false });
    const call = first.message.tool_calls?.[0];
    assert.ok(call !== undefined);
    provider.script = [{ type: 'text-delta', id: 't', text: 'Sunny.' }, { type: 'finish', finishReason: 'stop' }];
    // ollama-js sends tool calls back without ids; the OpenAI route is where ids travel, so the
    // ollama route's replay is checked through /v1 with the id the first answer carried.
    await client.chat.completions.create({
      model: 'a',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_o1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }], reasoning_content: 'Need the weather.' } as OpenAI.Chat.ChatCompletionAssistantMessageParam,
        { role: 'tool', tool_call_id: 'call_o1', content: '22°C' },
      ],
    });
    const parts = provider.requests[1]?.messages[1]?.parts ?? [];
    assert.deepEqual(parts[0], { type: 'reasoning', text: 'Need the weather.', metadata: { provider: 'scripted', signature: 'sig-think' } });
    assert.equal(parts.filter((part) => part.type === 'reasoning').length, 1);
  });

  it('attaches nothing when the conversation moves to another model', async () => {
    provider.script = signedToolTurn('call_m1');
    await client.chat.completions.create({ model: 'a', messages: [{ role: 'user', content: 'Weather?' }], tools });
    provider.script = [{ type: 'text-delta', id: 't', text: 'Sunny.' }, { type: 'finish', finishReason: 'stop' }];
    await client.chat.completions.create({
      model: 'b',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_m1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_m1', content: '22°C' },
      ],
    });
    assert.deepEqual(provider.requests[1]?.messages[1]?.parts, [{ type: 'tool-call', id: 'call_m1', name: 'get_weather', arguments: '{}' }]);
  });
});
