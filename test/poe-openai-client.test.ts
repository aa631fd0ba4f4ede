import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import OpenAI, { APIError } from 'openai';
import { FakePoeServer, type PoeWireEvent } from '../test-support/fake-poe-server.ts';
import { readOpenAIChatStream } from '../test-support/read-openai-chat-stream.ts';
import { upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const BOTS = ['TestBot', 'ToolBot', 'FlakyBot', 'BrokenBot', 'PoorBot', 'UserErrorBot', 'CutBot', 'ImageBot', 'ThinkBot', 'RewriteBot'];

const toolChunk = (delta: unknown, finish: string | null = null): PoeWireEvent => ({
  event: 'json',
  data: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] },
});

describe('the openai SDK against llmux serving Poe bots (bot protocol)', () => {
  const suite = upstreamClientsPerSuite(
    async () => {
      const poe = await FakePoeServer.start();
      poe.models = BOTS.map((id) => ({ id, object: 'model', created: 1715644800000, owned_by: 'Poe', architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] } }));
      return poe;
    },
    (poe) => ({
      providers: [{ id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl }],
    }),
    (poe) => {
      poe.reset();
      poe.bot('TestBot', (call) => {
        const query = call.body['query'] as { content: string }[];
        return [{ event: 'text', data: { text: 'You said: ' } }, { event: 'text', data: { text: query.at(-1)?.content ?? '' } }];
      });
    },
  );

  it('streams text with usage counted from the real text', async () => {
    const usages: { prompt: number; completion: number; text: string }[] = [];
    for (const prompt of ['Hi', 'Tell me everything about the history of the Roman Empire, please, in detail.']) {
      const stream = await suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: prompt }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      assert.ok(usage);
      usages.push({ prompt: usage.prompt_tokens, completion: usage.completion_tokens, text });
    }
    assert.equal(usages[0]?.text, 'You said: Hi');
    assert.equal(usages[0]?.completion, countTokens('You said: Hi'));
    assert.equal(usages[1]?.completion, countTokens(usages[1]?.text ?? ''));
    assert.ok((usages[1]?.prompt ?? 0) > (usages[0]?.prompt ?? 0) + 10, 'prompt tokens follow the prompt');
  });

  it('answers without streaming, counting usage too', async () => {
    const completion = await suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: 'Bonjour' }] });
    assert.equal(completion.choices[0]?.message.content, 'You said: Bonjour');
    assert.equal(completion.usage?.completion_tokens, countTokens('You said: Bonjour'));
    assert.ok((completion.usage?.prompt_tokens ?? 0) > 0);
  });

  it('sends roles and parameters as the bot protocol wants them', async () => {
    await suite.openai.chat.completions.create({
      model: 'TestBot',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'No emojis.' },
        { role: 'user', content: 'One' },
        { role: 'assistant', content: 'Two' },
        { role: 'user', content: 'Three' },
      ],
      temperature: 0.25,
      stop: ['###'],
    });
    const body = suite.upstream.lastBotCall().body;
    assert.equal(body['version'], '1.2');
    assert.equal(body['type'], 'query');
    assert.deepEqual([body['user_id'], body['conversation_id'], body['message_id']], ['', '', '']);
    assert.equal(body['temperature'], 0.25);
    assert.deepEqual(body['stop_sequences'], ['###']);
    assert.deepEqual(
      (body['query'] as { role: string; content: string; content_type: string }[]).map((message) => [message.role, message.content, message.content_type]),
      [
        ['system', 'Be brief.', 'text/markdown'],
        ['system', 'No emojis.', 'text/markdown'],
        ['user', 'One', 'text/markdown'],
        ['bot', 'Two', 'text/markdown'],
        ['user', 'Three', 'text/markdown'],
      ],
    );
  });

  it('streamed clients end up with the replaced text; non-streamed ones get only the final text', async () => {
    suite.upstream.bot('RewriteBot', [
      { event: 'replace_response', data: { text: 'Working (1s elapsed)' } },
      { event: 'replace_response', data: { text: 'The answer' } },
      { event: 'text', data: { text: ' is 42.' } },
      { event: 'replace_response', data: { text: 'The answer is 42. Certainly.' } },
    ]);
    const stream = await suite.openai.chat.completions.create({ model: 'RewriteBot', messages: [{ role: 'user', content: 'q' }], stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    assert.equal(streamed, 'The answer is 42. Certainly.');
    const whole = await suite.openai.chat.completions.create({ model: 'RewriteBot', messages: [{ role: 'user', content: 'q' }] });
    assert.equal(whole.choices[0]?.message.content, 'The answer is 42. Certainly.');
  });

  it('gives the thinking of reasoning bots as reasoning_content, not as the answer', async () => {
    suite.upstream.bot('ThinkBot', [
      { event: 'text', data: { text: '*Thinking...*\n\n> Two plus two' } },
      { event: 'text', data: { text: ' is four.\n\n' } },
      { event: 'text', data: { text: '4, as\n> Quoted in the answer.' } },
    ]);
    const stream = await suite.openai.chat.completions.create({ model: 'ThinkBot', messages: [{ role: 'user', content: '2+2?' }], stream: true });
    const { content, reasoning } = await readOpenAIChatStream(stream);
    assert.equal(content, '4, as\n> Quoted in the answer.');
    assert.equal(reasoning, '*Thinking...*\nTwo plus two is four.\n');
  });

  it('keeps an answer that starts with a markdown quote as the answer when no thinking marker came first', async () => {
    const answer = '> To be, or not to be\n\nHamlet says it.\n> Another quote';
    suite.upstream.bot('TestBot', [{ event: 'text', data: { text: '> To be,' } }, { event: 'text', data: { text: answer.slice('> To be,'.length) } }]);
    const stream = await suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: 'Quote Hamlet' }], stream: true });
    const { content, reasoning } = await readOpenAIChatStream(stream);
    assert.deepEqual([content, reasoning], [answer, '']);
    const whole = await suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: 'Quote Hamlet' }] });
    assert.equal(whole.choices[0]?.message.content, answer);
  });

  it('passes tools and returns tool calls, streamed and not; results go back as top-level tool_results', async () => {
    suite.upstream.bot('ToolBot', [
      toolChunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      toolChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] }),
      toolChunk({}, 'tool_calls'),
    ]);
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ];
    const completion = await suite.openai.chat.completions.create({ model: 'ToolBot', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools });
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(completion.choices[0]?.message.tool_calls, [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    assert.deepEqual(suite.upstream.lastBotCall().body['tools'], [
      { type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ]);

    const runner = suite.openai.chat.completions.stream({ model: 'ToolBot', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0]?.message.tool_calls?.[0]?.function.arguments, '{"city":"Oslo"}');

    await suite.openai.chat.completions.create({
      model: 'TestBot',
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_abc', content: '{"temp":-3}' },
      ],
      tools,
    });
    const body = suite.upstream.lastBotCall().body;
    assert.deepEqual((body['query'] as { role: string }[]).map((message) => message.role), ['user']);
    assert.deepEqual(body['tool_calls'], [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    assert.deepEqual(body['tool_results'], [{ role: 'tool', name: 'get_weather', tool_call_id: 'call_abc', content: '{"temp":-3}' }]);
  });

  it('errors: no points → 402, user error → 400, neither retried; the server keeps serving', async () => {
    suite.upstream.bot('PoorBot', [{ event: 'error', data: { allow_retry: false, text: "You don't have enough points", error_type: 'insufficient_fund' } }]);
    suite.upstream.bot('UserErrorBot', [{ event: 'error', data: { allow_retry: false, text: 'Message too long', error_type: 'user_message_too_long' } }]);
    await assert.rejects(suite.openai.chat.completions.create({ model: 'PoorBot', messages: [{ role: 'user', content: 'x' }] }), (error: APIError) => {
      assert.equal(error.status, 402);
      assert.match(error.message, /no points left.*enough points/);
      return true;
    });
    await assert.rejects(suite.openai.chat.completions.create({ model: 'UserErrorBot', messages: [{ role: 'user', content: 'x' }], stream: true }), (error: APIError) => {
      assert.equal(error.status, 400);
      assert.match(error.message, /user_message_too_long/);
      return true;
    });
    assert.equal(suite.upstream.botCalls.filter((call) => call.bot !== 'TestBot').length, 2, 'errors that cannot succeed are not retried');
    const after = await suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: 'still there?' }] });
    assert.equal(after.choices[0]?.message.content, 'You said: still there?');
  });

  it('retries a retryable bot error before any output, and does not retry one the bot forbids', async () => {
    let calls = 0;
    suite.upstream.bot('FlakyBot', () => (++calls === 1 ? [{ event: 'error', data: { allow_retry: true, text: 'Internal server error' } }] : [{ event: 'text', data: { text: 'Recovered' } }]));
    const stream = await suite.openai.chat.completions.create({ model: 'FlakyBot', messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Recovered');
    assert.equal(calls, 2);

    suite.upstream.bot('BrokenBot', [{ event: 'error', data: { allow_retry: false, text: 'The bot encountered an unexpected issue.' } }]);
    await assert.rejects(suite.openai.chat.completions.create({ model: 'BrokenBot', messages: [{ role: 'user', content: 'x' }] }), (error: APIError) => {
      assert.equal(error.status, 502);
      assert.match(error.message, /BrokenBot.*unexpected issue/);
      return true;
    });
    assert.equal(suite.upstream.botCalls.filter((call) => call.bot === 'BrokenBot').length, 1);
  });

  it('a stream cut before done ends with an error after the partial text, never as a success', async () => {
    suite.upstream.bot('CutBot', { events: [{ event: 'text', data: { text: 'Half of' } }], done: false });
    const stream = await suite.openai.chat.completions.create({ model: 'CutBot', messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
      (error: APIError) => /without 'done'/.test(error.message),
    );
    assert.equal(text, 'Half of');
    await assert.rejects(suite.openai.chat.completions.create({ model: 'CutBot', messages: [{ role: 'user', content: 'x' }] }), (error: APIError) => error.status === 502);
  });

  it('unknown bot → 404 naming it, revoked key → 401, and the server keeps serving', async () => {
    await assert.rejects(suite.openai.chat.completions.create({ model: 'poe/GhostBot', messages: [{ role: 'user', content: 'x' }] }), (error: APIError) => {
      assert.equal(error.status, 404);
      assert.match(error.message, /Poe has no bot 'GhostBot'/);
      return true;
    });
    suite.upstream.keys.delete('poe-test-key');
    await assert.rejects(suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: 'x' }] }), (error: APIError) => {
      assert.equal(error.status, 401);
      assert.match(error.message, /Poe rejected the API key/);
      return true;
    });
    suite.upstream.keys.add('poe-test-key');
    const ok = await suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: 'back' }] });
    assert.equal(ok.choices[0]?.message.content, 'You said: back');
  });

  it('uploads images as attachments, and refuses clearly when the upload fails', async () => {
    const dataUrl = `data:image/png;base64,${PNG.toString('base64')}`;
    await suite.openai.chat.completions.create({
      model: 'TestBot',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: dataUrl } }] }],
    });
    assert.equal(suite.upstream.uploads.length, 1);
    assert.deepEqual(suite.upstream.uploads[0]?.bytes, PNG);
    assert.equal(suite.upstream.uploads[0]?.authorization, 'poe-test-key');
    const attachments = (suite.upstream.lastBotCall().body['query'] as { attachments: { content_type: string; name: string }[] }[])[0]?.attachments;
    assert.deepEqual(attachments?.map((attachment) => [attachment.content_type, attachment.name]), [['image/png', 'image.png']]);

    suite.upstream.uploadFailure = { status: 413, body: { error: 'file too large' } };
    const other = `data:image/png;base64,${Buffer.concat([PNG, Buffer.from('x')]).toString('base64')}`;
    await assert.rejects(
      suite.openai.chat.completions.create({ model: 'TestBot', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: other } }] }] }),
      (error: APIError) => error.status === 413 && /could not upload 'image\.png' to Poe.*file too large/.test(error.message),
    );
    assert.equal(suite.upstream.uploads.length, 2, 'an upload that cannot succeed is not retried');
  });

  it('generates images through /v1/images/generations: url and b64_json, n=2, size → aspect', async () => {
    const url = suite.upstream.addFile('fox.png', PNG, 'image/png');
    suite.upstream.bot('ImageBot', [
      { event: 'replace_response', data: { text: 'Generating image (3s elapsed)' } },
      { event: 'file', data: { url, content_type: 'image/png', name: 'fox.png', inline_ref: 'f0x' } },
      { event: 'replace_response', data: { text: '![fox.png][f0x]' } },
    ]);
    const byUrl = await suite.openai.images.generate({ model: 'ImageBot', prompt: 'a red fox', n: 2, size: '1792x1024' });
    assert.deepEqual(byUrl.data?.map((image) => image.url), [url, url]);
    // One settings request (the bot's parameter controls; it declares none), then one query per image.
    assert.deepEqual(suite.upstream.botCalls.map((call) => call.body['type']), ['settings', 'query', 'query']);
    const message = (suite.upstream.lastBotCall().body['query'] as { content: string; parameters: unknown }[])[0];
    assert.equal(message?.content, 'a red fox --aspect 16:9');
    assert.deepEqual(message?.parameters, { aspect: '16:9' });
    const inline = await suite.openai.images.generate({ model: 'ImageBot', prompt: 'a red fox', response_format: 'b64_json' });
    assert.equal(inline.data?.[0]?.b64_json, PNG.toString('base64'));
  });
});
