import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('ollama-js against llmux serving Poe bots (bot protocol)', () => {
  const suite = upstreamClientsPerSuite(
    async () => {
      const poe = await FakePoeServer.start();
      poe.models = [
        { id: 'Claude-Sonnet-4', object: 'model', created: 1747872000000, owned_by: 'Anthropic', architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] } },
        { id: 'Llama-3-70b', object: 'model', created: 1713398400000, owned_by: 'Meta', architecture: { input_modalities: ['text'], output_modalities: ['text'] } },
      ];
      return poe;
    },
    (poe) => ({
      providers: [{ id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl }],
    }),
    (poe) => {
      poe.reset();
      poe.bot('Claude-Sonnet-4', [{ event: 'text', data: { text: 'Hello ' } }, { event: 'text', data: { text: 'from Poe' } }]);
    },
  );

  it("lists Poe's bots under their own names, with vision where Poe says so", async () => {
    const { models } = await suite.ollama.list();
    assert.deepEqual(models.map((model) => model.name), ['Claude-Sonnet-4:latest', 'Llama-3-70b:latest']);
    const shown = await suite.ollama.show({ model: 'Claude-Sonnet-4' });
    assert.ok(shown.capabilities.includes('vision'));
    const plain = await suite.ollama.show({ model: 'Llama-3-70b' });
    assert.ok(!plain.capabilities.includes('vision'));
  });

  it('streams chat with counted token usage', async () => {
    const stream = await suite.ollama.chat({ model: 'Claude-Sonnet-4', messages: [{ role: 'user', content: 'Say hello' }], stream: true });
    let text = '';
    let last: { done: boolean; eval_count?: number; prompt_eval_count?: number; done_reason?: string } | undefined;
    for await (const part of stream) {
      text += part.message.content;
      last = part;
    }
    assert.equal(text, 'Hello from Poe');
    assert.equal(last?.done, true);
    assert.equal(last?.done_reason, 'stop');
    assert.equal(last?.eval_count, countTokens('Hello from Poe'));
    assert.ok((last?.prompt_eval_count ?? 0) > 0);
  });

  it('answers without streaming, and through /api/generate', async () => {
    const chat = await suite.ollama.chat({ model: 'Claude-Sonnet-4:latest', messages: [{ role: 'user', content: 'x' }], stream: false });
    assert.equal(chat.message.content, 'Hello from Poe');
    assert.equal(chat.eval_count, countTokens('Hello from Poe'));
    const generated = await suite.ollama.generate({ model: 'Claude-Sonnet-4', prompt: 'x', system: 'Be kind.', stream: false });
    assert.equal(generated.response, 'Hello from Poe');
    assert.deepEqual(
      (suite.upstream.lastBotCall().body['query'] as { role: string; content: string }[]).map((message) => [message.role, message.content]),
      [
        ['system', 'Be kind.'],
        ['user', 'x'],
      ],
    );
  });

  it('uploads images given as base64 and attaches them', async () => {
    await suite.ollama.chat({ model: 'Claude-Sonnet-4', messages: [{ role: 'user', content: 'What is this?', images: [PNG.toString('base64')] }], stream: false });
    assert.equal(suite.upstream.uploads.length, 1);
    assert.deepEqual(suite.upstream.uploads[0]?.bytes, PNG);
    const query = suite.upstream.lastBotCall().body['query'] as { content: string; attachments: { content_type: string }[] }[];
    assert.equal(query[0]?.content, 'What is this?');
    assert.equal(query[0]?.attachments[0]?.content_type, 'image/png');
  });

  it('returns tool calls with object arguments', async () => {
    suite.upstream.bot('Claude-Sonnet-4', [
      { event: 'json', data: { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'add', arguments: '{"a":1,' } }] }, finish_reason: null }] } },
      { event: 'json', data: { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"b":2}' } }] }, finish_reason: 'tool_calls' }] } },
    ]);
    const response = await suite.ollama.chat({
      model: 'Claude-Sonnet-4',
      messages: [{ role: 'user', content: '1+2?' }],
      tools: [{ type: 'function', function: { name: 'add', description: 'Adds', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } } }],
      stream: false,
    });
    assert.deepEqual(response.message.tool_calls?.map((call) => [call.function.name, call.function.arguments]), [['add', { a: 1, b: 2 }]]);
  });

  it('streams whole tool calls, and sends the results back as top-level tool_calls and tool_results', async () => {
    const chunk = (delta: unknown, finish: string | null = null) => ({ event: 'json', data: { object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] } });
    suite.upstream.bot('Claude-Sonnet-4', [
      chunk({ tool_calls: [{ index: 0, id: 'call_7', type: 'function', function: { name: 'add', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":1,' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"b":2}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    const tools = [{ type: 'function', function: { name: 'add', description: 'Adds', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } } }];
    const calls: unknown[] = [];
    for await (const part of await suite.ollama.chat({ model: 'Claude-Sonnet-4', messages: [{ role: 'user', content: '1+2?' }], tools, stream: true })) {
      for (const call of part.message.tool_calls ?? []) calls.push([call.function.name, call.function.arguments]);
    }
    assert.deepEqual(calls, [['add', { a: 1, b: 2 }]], 'one whole call with object arguments, not fragments');

    suite.upstream.bot('Claude-Sonnet-4', [{ event: 'text', data: { text: '3' } }]);
    const answer = await suite.ollama.chat({
      model: 'Claude-Sonnet-4',
      messages: [
        { role: 'user', content: '1+2?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'add', arguments: { a: 1, b: 2 } } }] },
        { role: 'tool', content: '3', tool_name: 'add' },
      ],
      tools,
      stream: false,
    });
    assert.equal(answer.message.content, '3');
    const body = suite.upstream.lastBotCall().body;
    assert.deepEqual((body['query'] as { role: string }[]).map((message) => message.role), ['user']);
    const [toolCall] = body['tool_calls'] as { id: string; function: { name: string; arguments: string } }[];
    assert.deepEqual([toolCall?.function.name, JSON.parse(toolCall?.function.arguments ?? 'null')], ['add', { a: 1, b: 2 }]);
    assert.deepEqual(body['tool_results'], [{ role: 'tool', name: 'add', tool_call_id: toolCall?.id, content: '3' }]);
  });

  it("shows an image bot's file as a markdown image in chat, in place of Poe's inline reference", async () => {
    const url = 'https://pfst.cf2.poecdn.net/base/image/abc?w=1024&h=1024';
    suite.upstream.bot('Claude-Sonnet-4', [
      { event: 'replace_response', data: { text: 'Generating image (2s elapsed)' } },
      { event: 'file', data: { url, content_type: 'image/jpeg', name: 'cat.jpg', inline_ref: 'k9' } },
      { event: 'replace_response', data: { text: 'Here is your cat: ![cat.jpg][k9]' } },
    ]);
    let text = '';
    for await (const part of await suite.ollama.chat({ model: 'Claude-Sonnet-4', messages: [{ role: 'user', content: 'draw a cat' }], stream: true })) text += part.message.content;
    assert.ok(text.includes(`![cat.jpg](${url})`), text);
    assert.ok(text.includes('Here is your cat: '), text);
    assert.ok(!text.includes('[k9]') && !text.includes('elapsed'), text);
  });

  it('gives the thinking of reasoning bots as message.thinking', async () => {
    suite.upstream.bot('Claude-Sonnet-4', [{ event: 'text', data: { text: 'Thinking... (2s elapsed)\n> Simple sum.\n\n3' } }]);
    const response = await suite.ollama.chat({ model: 'Claude-Sonnet-4', messages: [{ role: 'user', content: '1+2?' }], stream: false, think: true });
    assert.equal(response.message.content, '3');
    assert.equal(response.message.thinking, 'Thinking... (2s elapsed)\nSimple sum.\n');
  });

  it('reports Poe errors with their status in the Ollama error shape, and keeps serving', async () => {
    suite.upstream.bot('Claude-Sonnet-4', [{ event: 'error', data: { allow_retry: false, text: 'Out of points', error_type: 'insufficient_fund' } }]);
    await assert.rejects(suite.ollama.chat({ model: 'Claude-Sonnet-4', messages: [{ role: 'user', content: 'x' }], stream: false }), (error: Error & { status_code?: number }) => {
      assert.equal(error.status_code, 402);
      assert.match(error.message, /no points left/);
      return true;
    });
    await assert.rejects(suite.ollama.chat({ model: 'poe/NoSuchBot', messages: [{ role: 'user', content: 'x' }], stream: false }), (error: Error & { status_code?: number }) => {
      assert.equal(error.status_code, 404);
      assert.match(error.message, /NoSuchBot/);
      return true;
    });
    suite.upstream.bot('Claude-Sonnet-4', [{ event: 'text', data: { text: 'fine' } }]);
    const response = await suite.ollama.chat({ model: 'Claude-Sonnet-4', messages: [{ role: 'user', content: 'x' }], stream: false });
    assert.equal(response.message.content, 'fine');
  });
});
