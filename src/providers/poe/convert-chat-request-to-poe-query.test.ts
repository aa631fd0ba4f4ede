import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MediaSource } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { convertChatRequestToPoeQuery, type UploadMedia } from './convert-chat-request-to-poe-query.ts';

const noUploads: UploadMedia = async () => assert.fail('nothing should be uploaded');

describe('convertChatRequestToPoeQuery', () => {
  it('maps roles and parameters as fastapi_poe sends them', async () => {
    const request: ChatRequest = {
      model: 'GPT-4o',
      stream: true,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'Be terse.' }] },
        { role: 'developer', parts: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: 'hidden' }, { type: 'text', text: 'Hello!' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
      ],
      temperature: 0.3,
      stop: ['END'],
      logitBias: { '50256': -100 },
      unmappedFields: { skip_system_prompt: true, parameters: { aspect: '1:1' } },
    };
    const { body, degraded } = await convertChatRequestToPoeQuery(request, noUploads);
    assert.deepEqual(body, {
      version: '1.2',
      type: 'query',
      query: [
        { role: 'system', content: 'Be terse.', content_type: 'text/markdown', attachments: [] },
        { role: 'system', content: 'Use metric units.', content_type: 'text/markdown', attachments: [] },
        { role: 'user', content: 'Hi', content_type: 'text/markdown', attachments: [] },
        { role: 'bot', content: 'Hello!', content_type: 'text/markdown', attachments: [] },
        { role: 'user', content: 'Weather?', content_type: 'text/markdown', attachments: [], parameters: { aspect: '1:1' } },
      ],
      user_id: '',
      conversation_id: '',
      message_id: '',
      temperature: 0.3,
      skip_system_prompt: true,
      logit_bias: { '50256': -100 },
      stop_sequences: ['END'],
      tools: null,
      tool_calls: null,
      tool_results: null,
    });
    assert.deepEqual(degraded, []);
  });

  it('moves tool calls and results to the top-level fields and sends tool definitions', async () => {
    const request: ChatRequest = {
      model: 'GPT-4o',
      stream: false,
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
        { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', content: '{"temp":21}' }] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    };
    const { body } = await convertChatRequestToPoeQuery(request, noUploads);
    assert.deepEqual(body.query.map((message) => message.role), ['user']);
    assert.deepEqual(body.tools, [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    ]);
    assert.deepEqual(body.tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
    assert.deepEqual(body.tool_results, [{ role: 'tool', name: 'get_weather', tool_call_id: 'call_1', content: '{"temp":21}' }]);
  });

  it('uploads images and files and references them as attachments of their message', async () => {
    const seen: { source: MediaSource; filename: string | undefined }[] = [];
    const upload: UploadMedia = async (source, filename) => {
      seen.push({ source, filename });
      return { url: `https://pfst.cf2.poecdn.net/base/${seen.length}`, content_type: 'image/png', name: filename ?? 'image.png' };
    };
    const request: ChatRequest = {
      model: 'GPT-4o',
      stream: false,
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' }, filename: 'a.pdf' },
          ],
        },
      ],
    };
    const { body } = await convertChatRequestToPoeQuery(request, upload);
    assert.equal(seen.length, 2);
    assert.deepEqual(body.query[0]?.attachments, [
      { url: 'https://pfst.cf2.poecdn.net/base/1', content_type: 'image/png', name: 'image.png' },
      { url: 'https://pfst.cf2.poecdn.net/base/2', content_type: 'image/png', name: 'a.pdf' },
    ]);
  });

  it('keeps earlier tool rounds in the query, in order, and sends only the last round top-level', async () => {
    const call = (id: string, city: string) => ({ type: 'tool-call' as const, id, name: 'get_weather', arguments: `{"city":"${city}"}` });
    const result = (id: string, temp: number) => ({ type: 'tool-result' as const, toolCallId: id, content: `{"temp":${temp}}` });
    const request: ChatRequest = {
      model: 'GPT-4o',
      stream: true,
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris, then Rome?' }] },
        { role: 'assistant', parts: [call('call_1', 'Paris')] },
        { role: 'tool', parts: [result('call_1', 21)] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Paris is 21. Now Rome.' }, call('call_2', 'Rome')] },
        { role: 'tool', parts: [result('call_2', 25)] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    };
    const { body } = await convertChatRequestToPoeQuery(request, noUploads);
    assert.deepEqual(
      body.query.map((message) => [message.role, message.message_type ?? null, message.content]),
      [
        ['user', null, 'Weather in Paris, then Rome?'],
        ['bot', 'function_call', '[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]'],
        ['tool', null, '{"tool_call_id":"call_1","name":"get_weather","content":"{\\"temp\\":21}"}'],
        ['bot', null, 'Paris is 21. Now Rome.'],
      ],
    );
    assert.deepEqual(body.tool_calls, [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }]);
    assert.deepEqual(body.tool_results, [{ role: 'tool', name: 'get_weather', tool_call_id: 'call_2', content: '{"temp":25}' }]);

    // A user turn after the last round: every round is history, nothing top-level.
    const followUp = await convertChatRequestToPoeQuery({ ...request, messages: [...request.messages, { role: 'user', parts: [{ type: 'text', text: 'Thanks' }] }] }, noUploads);
    assert.equal(followUp.body.tool_calls, null);
    assert.equal(followUp.body.tool_results, null);
    assert.deepEqual(
      followUp.body.query.map((message) => message.role),
      ['user', 'bot', 'tool', 'bot', 'bot', 'tool', 'user'],
    );
  });

  it("lists what the bot protocol cannot take, and honours tool_choice 'none'", async () => {
    const request: ChatRequest = {
      model: 'GPT-4o',
      stream: false,
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }],
      maxTokens: 100,
      seed: 7,
      topP: 0.9,
      tools: [{ name: 'f', parameters: {} }],
      toolChoice: 'none',
      unmappedFields: { web_search: true },
    };
    const { body, degraded } = await convertChatRequestToPoeQuery(request, noUploads);
    assert.equal(body.tools, null);
    assert.equal(body.temperature, null);
    assert.deepEqual(
      degraded.map((entry) => entry.field),
      ['tools', 'max_tokens', 'top_p', 'seed', 'web_search'],
    );
  });

  it('refuses what a bot would answer differently: JSON output, logprobs, fill-in-the-middle, raw prompts', async () => {
    const base: ChatRequest = { model: 'Bot', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }] };
    await assert.rejects(convertChatRequestToPoeQuery({ ...base, responseFormat: { type: 'json' } }, noUploads, 'poe'), /response_format 'json' is not supported by provider 'poe'/);
    await assert.rejects(convertChatRequestToPoeQuery({ ...base, logprobs: true }, noUploads, 'poe'), /logprobs is not supported by provider 'poe'/);
    await assert.rejects(convertChatRequestToPoeQuery({ ...base, suffix: 'end' }, noUploads, 'poe'), /suffix .* not supported by provider 'poe'/);
    await assert.rejects(convertChatRequestToPoeQuery({ ...base, rawPrompt: true }, noUploads, 'poe'), /raw prompt is not supported by provider 'poe'/);
  });

  it('takes bot parameters from provider_options.poe before unmapped fields', async () => {
    const { body } = await convertChatRequestToPoeQuery(
      {
        model: 'Bot',
        stream: false,
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }],
        providerOptions: { poe: { parameters: { aspect: '4:3' } } },
        unmappedFields: { parameters: { aspect: '1:1' } },
      },
      noUploads,
    );
    assert.deepEqual(body.query[0]?.parameters, { aspect: '4:3' });
  });
});
