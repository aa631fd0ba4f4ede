import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertChatRequestToGemini } from './convert-chat-request-to-gemini.ts';

const context = { providerId: 'g', rememberedSignature: (call: { id: string }) => (call.id === 'call_remembered' ? 'cmVtZW1iZXJlZA==' : undefined) };
const user = (text: string): ChatRequest['messages'][number] => ({ role: 'user', parts: [{ type: 'text', text }] });

describe('convertChatRequestToGemini', () => {
  it('sends a signed tool round: thought and call with their signatures, the result as a functionResponse named after the tool', () => {
    const { body, degraded } = convertChatRequestToGemini(
      {
        model: 'gemini-3-pro-preview',
        stream: true,
        messages: [
          { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', parts: [{ type: 'text', text: 'Weather?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'Use the tool.', metadata: { provider: 'gemini', signature: 'dGhvdWdodA==' } },
              { type: 'reasoning', text: 'Other provider reasoning.', metadata: { provider: 'anthropic', signature: 'x' } },
              { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', metadata: { provider: 'gemini', signature: 'Y2FsbA==' } },
              { type: 'tool-call', id: 'call_b', name: 'get_time', arguments: '{}' },
            ],
          },
          { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_a', content: '{"temp":18}' }] },
          { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_b', content: '12:00' }] },
        ],
        tools: [
          { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
          { name: 'get_time', description: 'Now', parameters: { type: 'object', properties: {} } },
        ],
        toolChoice: { name: 'get_weather' },
      },
      context,
    );
    assert.deepEqual(degraded, []);
    assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be brief.' }] });
    assert.deepEqual(body.contents, [
      { role: 'user', parts: [{ text: 'Weather?' }, { inlineData: { mimeType: 'image/png', data: 'iVBOR' } }] },
      {
        role: 'model',
        parts: [
          { text: 'Use the tool.', thought: true, thoughtSignature: 'dGhvdWdodA==' },
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'Y2FsbA==' },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { temp: 18 } } }, { functionResponse: { name: 'get_time', response: { result: '12:00' } } }],
      },
    ]);
    assert.deepEqual(body.tools, [
      {
        functionDeclarations: [
          { name: 'get_weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, propertyOrdering: ['city'], required: ['city'] } },
          { name: 'get_time', description: 'Now' },
        ],
      },
    ]);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    assert.deepEqual(body.generationConfig, { thinkingConfig: { includeThoughts: true } });
  });

  it("puts back a signature the client could not carry, and Google's stand-in (declared) when none is known", () => {
    const round = (id: string): ChatRequest => ({
      model: 'gemini-3-flash-preview',
      stream: false,
      messages: [user('Hi'), { role: 'assistant', parts: [{ type: 'tool-call', id, name: 't', arguments: '{}' }] }, { role: 'tool', parts: [{ type: 'tool-result', toolCallId: id, content: 'ok' }] }],
    });
    const remembered = convertChatRequestToGemini(round('call_remembered'), context);
    assert.equal(remembered.body.contents[1]?.parts[0]?.thoughtSignature, 'cmVtZW1iZXJlZA==');
    assert.deepEqual(remembered.degraded, []);
    const unknown = convertChatRequestToGemini(round('call_x'), context);
    assert.equal(unknown.body.contents[1]?.parts[0]?.thoughtSignature, 'skip_thought_signature_validator');
    assert.deepEqual(unknown.degraded.map((entry) => entry.field), ['thought_signature']);
  });

  it('maps sampling, structured output and reasoning effort to generationConfig per model generation', () => {
    const base: ChatRequest = { model: 'gemini-2.5-flash', stream: false, messages: [user('Hi')], temperature: 0.5, topP: 0.9, topK: 40, maxTokens: 100, stop: ['END'], seed: 3 };
    const flash = convertChatRequestToGemini({ ...base, reasoning: { effort: 'low' }, responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object', properties: { a: { type: 'integer' } } } } }, context);
    assert.deepEqual(flash.body.generationConfig, {
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 100,
      stopSequences: ['END'],
      seed: 3,
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { a: { type: 'INTEGER' } }, propertyOrdering: ['a'] },
      thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
    });
    assert.deepEqual(convertChatRequestToGemini({ ...base, reasoning: { effort: 'none' } }, context).body.generationConfig?.thinkingConfig, { thinkingBudget: 0 });
    assert.deepEqual(convertChatRequestToGemini({ ...base, reasoning: { budgetTokens: 2048 } }, context).body.generationConfig?.thinkingConfig, { includeThoughts: true, thinkingBudget: 2048 });
    const pro3 = convertChatRequestToGemini({ ...base, model: 'gemini-3-pro-preview', reasoning: { effort: 'high' } }, context);
    assert.deepEqual(pro3.body.generationConfig?.thinkingConfig, { includeThoughts: true, thinkingLevel: 'HIGH' });
    assert.equal(convertChatRequestToGemini({ ...base, model: 'gemini-2.0-flash' }, context).body.generationConfig?.thinkingConfig, undefined);
  });

  it('declares what Gemini lacks, and refuses a schema it cannot take naming the keyword and the tool', () => {
    const { degraded } = convertChatRequestToGemini({ model: 'gemini-2.0-flash', stream: false, messages: [user('Hi')], logitBias: { '1': 1 }, minP: 0.1, unmappedFields: { service_tier: 'x' } }, context);
    assert.deepEqual(degraded.map((entry) => entry.field), ['min_p', 'logit_bias', 'service_tier']);
    const passed = convertChatRequestToGemini({ model: 'gemini-2.0-flash', stream: false, messages: [user('Hi')], unmappedFields: { labels: { team: 'a' } } }, { ...context, passThroughFields: new Set(['labels']) });
    assert.deepEqual((passed.body as unknown as Record<string, unknown>).labels, { team: 'a' });
    assert.deepEqual(passed.degraded, []);
    const error = (() => {
      try {
        convertChatRequestToGemini({ model: 'gemini-2.0-flash', stream: false, messages: [user('Hi')], tools: [{ name: 'save', parameters: { type: 'object', properties: { data: { type: 'object', additionalProperties: true } } } }] }, context);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    assert.match(error.message, /^tool 'save': JSON Schema keyword 'additionalProperties' at parameters\.properties\.data/);
  });

  it('sends an image URL as fileData and refuses a tool result for a call it cannot name', () => {
    const { body } = convertChatRequestToGemini({ model: 'gemini-2.0-flash', stream: false, messages: [{ role: 'user', parts: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } }] }] }, context);
    assert.deepEqual(body.contents[0]?.parts, [{ fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } }]);
    assert.throws(
      () => convertChatRequestToGemini({ model: 'gemini-2.0-flash', stream: false, messages: [user('Hi'), { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'nope', content: 'x' }] }] }, context),
      (error: unknown) => error instanceof GatewayError && error.param === 'tool_call_id',
    );
  });
});
