import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const SCHEMA_FORMAT = { type: 'json_schema' as const, json_schema: { name: 'city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

/** What a user of the original Poe bridge hits on day one, against a fake Poe that answers as Poe does. */
describe('Poe seed paths', () => {
  const suite = upstreamClientsPerSuite(
    async () => {
      const poe = await FakePoeServer.start();
      poe.models.push({ id: 'Veo-3', object: 'model', created: 1747958400000, owned_by: 'Google', architecture: { input_modalities: ['text'], output_modalities: ['video'] } });
      return poe;
    },
    (poe) => ({
      providers: [
        { id: 'poe', type: 'poe', api_key: 'poe-test-key', base_url: poe.openaiBaseUrl },
        { id: 'bot', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl },
      ],
    }),
    (poe) => poe.reset(),
  );

  for (const provider of ['poe', 'bot']) {
    it(`${provider}: response_format json_schema is refused with a 400 naming the field and provider, before Poe is called`, async () => {
      suite.upstream.openai('GPT-4o', { text: 'Paris is nice.' });
      suite.upstream.bot('GPT-4o', [{ event: 'text', data: { text: 'Paris is nice.' } }]);
      const error = await suite.openai.chat.completions
        .create({ model: `${provider}/GPT-4o`, messages: [{ role: 'user', content: 'Where?' }], response_format: SCHEMA_FORMAT })
        .then(() => assert.fail('expected a 400'), (caught: unknown) => caught);
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal(error.param, 'response_format');
      assert.match(error.message, new RegExp(`response_format '?json[-_]schema'? is not supported by provider '${provider}'`));
      assert.equal(suite.upstream.openaiCalls.length + suite.upstream.botCalls.length, 0);
    });
  }

  it('OpenAI API: image and video bots are called with stream:false and their answer still streams to the client', async () => {
    suite.upstream.openai('GPT-Image-1', { text: '![fox](https://pfst.cf2.poecdn.net/base/image/fox.png)' });
    suite.upstream.openai('Veo-3', { text: '[video](https://pfst.cf2.poecdn.net/base/video/fox.mp4)' });
    suite.upstream.openai('GPT-4o', { text: 'A fox.' });
    const streamed = async (model: string): Promise<string> => {
      let text = '';
      for await (const chunk of await suite.openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'a fox' }] })) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    assert.equal(await streamed('poe/GPT-Image-1'), '![fox](https://pfst.cf2.poecdn.net/base/image/fox.png)');
    assert.equal(await streamed('poe/Veo-3'), '[video](https://pfst.cf2.poecdn.net/base/video/fox.mp4)');
    assert.equal(await streamed('poe/GPT-4o'), 'A fox.');
    assert.deepEqual(
      suite.upstream.openaiCalls.map((call) => [call.body.model, call.body.stream ?? false]),
      [
        ['GPT-Image-1', false],
        ['Veo-3', false],
        ['GPT-4o', true],
      ],
    );
  });

  it("bot protocol: image parameters fitted to the bot's declared controls; what it declares no control for is not sent", async () => {
    const url = suite.upstream.addFile('fox.png', Buffer.from('png'), 'image/png');
    suite.upstream.bot('FluxBot', {
      events: [{ event: 'file', data: { url, content_type: 'image/png', name: 'fox.png', inline_ref: null } }],
      // types.py ParameterControls: a section with a tab, a condition wrapping an aspect_ratio control.
      parameterControls: {
        api_version: '2',
        sections: [
          {
            name: 'Image',
            controls: [{ control: 'drop_down', label: 'Quality', parameter_name: 'quality', default_value: 'low', options: [{ value: 'low', name: 'Low' }, { value: 'high', name: 'High' }] }],
            tabs: [
              {
                name: 'Shape',
                controls: [
                  {
                    control: 'condition',
                    condition: { comparator: 'eq', left: { literal: true }, right: { literal: true } },
                    controls: [{ control: 'aspect_ratio', label: 'Aspect', parameter_name: 'aspect_ratio', options: [{ value: '1:1', width: 1, height: 1 }, { value: '16:9', width: 16, height: 9 }] }],
                  },
                ],
              },
            ],
          },
        ],
      },
    });
    const { data: generated, response } = await suite.openai.images.generate({ model: 'bot/FluxBot', prompt: 'a fox', size: '1792x1024', quality: 'high', style: 'vivid' }).withResponse();
    assert.equal(generated.data?.[0]?.url, url);
    assert.equal(response.headers.get('x-llmux-degraded'), 'style');
    assert.deepEqual(suite.upstream.botCalls.map((call) => call.body['type']), ['settings', 'query']);
    const message = (suite.upstream.lastBotCall().body['query'] as { content: string; parameters?: unknown }[])[0];
    assert.deepEqual(message?.parameters, { aspect_ratio: '16:9', quality: 'high' });
    assert.equal(message?.content, 'a fox --aspect 16:9');
  });

  it("OpenAI API: custom bot parameters go top-level, where Poe's guide puts them (the OpenAI SDK's extra_body); the aspect stays in the prompt too", async () => {
    suite.upstream.openai('GPT-Image-1', { text: '![fox](https://pfst.cf2.poecdn.net/base/image/fox.png)' });
    const { data: generated, response } = await suite.openai.images.generate({ model: 'poe/GPT-Image-1', prompt: 'a fox', size: '1024x1536', quality: 'high', style: 'vivid' }).withResponse();
    assert.equal(generated.data?.[0]?.url, 'https://pfst.cf2.poecdn.net/base/image/fox.png');
    assert.equal(response.headers.get('x-llmux-degraded'), null);
    const body = suite.upstream.openaiCalls[0]?.body ?? {};
    assert.deepEqual([body['aspect'], body['quality'], body['style'], 'parameters' in body], ['2:3', 'high', 'vivid', false]);
    assert.deepEqual(body['messages'], [{ role: 'user', content: 'a fox --aspect 2:3' }]);
  });

  it('OpenAI API, chat: documented bot parameters and `parameters` go top-level; other unknown fields are declared, not sent', async () => {
    suite.upstream.openai('Gemini-3-Pro', { text: 'Fresh news.' });
    const request = {
      model: 'poe/Gemini-3-Pro',
      messages: [{ role: 'user' as const, content: 'News?' }],
      // As the Python SDK sends extra_body={"web_search": True}: merged into the top level.
      web_search: true,
      // The Node SDK sends a literal extra_body object; llmux opens it up the same way.
      extra_body: { thinking_level: 'high' },
      parameters: { aspect: '1:1', model: 'Other-Bot' },
      provider_options: { poe: { parameters: { seed_style: 'calm' } } },
      frobnicate: 3,
    };
    const { data: answer, response } = await suite.openai.chat.completions.create(request as OpenAI.ChatCompletionCreateParamsNonStreaming).withResponse();
    assert.equal(answer.choices[0]?.message.content, 'Fresh news.');
    const body = suite.upstream.openaiCalls[0]?.body ?? {};
    assert.deepEqual(
      [body['model'], body['web_search'], body['thinking_level'], body['aspect'], body['seed_style']],
      ['Gemini-3-Pro', true, 'high', '1:1', 'calm'],
    );
    for (const field of ['frobnicate', 'extra_body', 'parameters', 'provider_options']) assert.equal(field in body, false, field);
    assert.equal(response.headers.get('x-llmux-degraded'), 'frobnicate, parameters.model');
  });

  it('bot protocol: a two-round tool loop reaches the bot with round one in the query, in order, and round two top-level', async () => {
    suite.upstream.bot('GPT-4o', [{ event: 'text', data: { text: 'Paris 21, Rome 25.' } }]);
    const tool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
    const answer = await suite.openai.chat.completions.create({
      model: 'bot/GPT-4o',
      tools: [tool],
      messages: [
        { role: 'user', content: 'Paris then Rome?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '21' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
        { role: 'tool', tool_call_id: 'call_2', content: '25' },
      ],
    });
    assert.equal(answer.choices[0]?.message.content, 'Paris 21, Rome 25.');
    // The fake validates the body as fastapi_poe's pydantic models do (422 otherwise).
    const body = suite.upstream.lastBotCall().body as { query: { role: string; message_type?: string; content: string }[]; tool_calls: unknown[]; tool_results: unknown[] };
    assert.deepEqual(
      body.query.map((message) => `${message.role}${message.message_type === undefined ? '' : `:${message.message_type}`}`),
      ['user', 'bot:function_call', 'tool'],
    );
    assert.match(body.query[1]?.content ?? '', /"id":"call_1"/);
    assert.match(body.query[2]?.content ?? '', /"tool_call_id":"call_1".*"content":"21"/);
    assert.deepEqual(body.tool_calls, [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }]);
    assert.deepEqual(body.tool_results, [{ role: 'tool', name: 'get_weather', tool_call_id: 'call_2', content: '25' }]);
  });
});
