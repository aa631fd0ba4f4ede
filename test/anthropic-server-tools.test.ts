import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicMessageBody, anthropicStreamBlocks, type FakeAnthropicAnswer } from '../test-support/fake-anthropic-answer.ts';
import { FakeAnthropicServer } from '../test-support/fake-anthropic-server.ts';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// Anthropic's server tools (web search) and what they answer pass through llmux to an Anthropic
// upstream and back, streamed byte for byte and not; any other upstream refuses them by name. Stop
// sequences and tool results with blocks arrive as the upstream and the client sent them.

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const KEY = 'sk-llmux-server-tools';

const tools = [
  { type: 'web_search_20250305', name: 'web_search', max_uses: 3, allowed_domains: ['example.com'] },
  { name: 'get_time', description: 'The time in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } }, cache_control: { type: 'ephemeral' } },
] as unknown as Anthropic.ToolUnion[];

const searchAnswer: FakeAnthropicAnswer = {
  blocks: [
    { type: 'text', text: 'Let me look that up → now.' },
    { type: 'server_tool_use', id: 'srvtoolu_01Search', name: 'web_search', input: { query: 'llmux gateway Zürich' } },
    {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_01Search',
      content: [{ type: 'web_search_result', url: 'https://example.com/llmux', title: 'llmux — a gateway', encrypted_content: 'EqgfCioIARgBIiQ3YTAwMjY1', page_age: 'April 30, 2026' }],
    },
    {
      type: 'text',
      text: 'llmux is a gateway in Zürich.',
      citations: [{ type: 'web_search_result_location', url: 'https://example.com/llmux', title: 'llmux — a gateway', encrypted_index: 'Eo8BCioIAhgBIiQyYjQ0', cited_text: 'llmux is a gateway' }],
    },
  ],
  usage: { server_tool_use: { web_search_requests: 1 } },
  writeBytes: 7,
};

let anthropic: FakeAnthropicServer;
let cerebras: FakeCerebrasUpstream;
let gateway: TestGateway;
let client: Anthropic;

before(async () => {
  anthropic = await FakeAnthropicServer.start();
  anthropic.models(['claude-sonnet-4-6']);
  cerebras = await FakeCerebrasUpstream.start();
  gateway = await startTestGateway({
    providers: [anthropic.providerConfig(), cerebras.providerConfig()],
    models: [{ name: 'chat-model', target: 'cerebras/gpt-oss-120b' }],
    keys: [{ key: KEY, name: 'test' }],
  });
  client = new Anthropic({ apiKey: KEY, baseURL: gateway.baseUrl, maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await anthropic.close();
  await cerebras.close();
});
beforeEach(() => {
  anthropic.server.calls.splice(0);
});

const question = { model: 'claude-sonnet-4-6', max_tokens: 1024, tools, messages: [{ role: 'user' as const, content: 'What is llmux?' }] };
const upstreamBody = () => anthropic.messageRequests().at(-1) as Record<string, unknown>;

describe('server tools with an Anthropic upstream', () => {
  it('the tools reach the upstream as sent, in order with their cache_control; the answer comes back block for block', async () => {
    anthropic.queue(searchAnswer);
    const { data: message, response } = await client.messages.create(question).withResponse();
    assert.equal(response.headers.get('x-llmux-degraded'), null);
    assert.deepEqual(upstreamBody().tools, tools);
    const upstream = anthropicMessageBody(searchAnswer, 'claude-sonnet-4-6', { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    assert.deepEqual(message.content, upstream.content);
    assert.equal(message.stop_reason, 'end_turn');
    // Web searches are billed apart from tokens; the client sees how many there were.
    assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 1 });
  });

  it('streams the server tool call and its result byte for byte as the upstream sent them (split mid-line and mid-character)', async () => {
    anthropic.queue(searchAnswer);
    const response = await fetch(`${gateway.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...question, stream: true }),
    });
    assert.equal(response.status, 200);
    const text = await response.text();
    const blocks = text.slice(text.indexOf('event: content_block_start'), text.indexOf('event: message_delta'));
    // The upstream's blocks exactly, without its ping (llmux sends its own while the upstream is silent).
    assert.equal(blocks, anthropicStreamBlocks(searchAnswer).filter((event) => !event.startsWith('event: ping')).join(''));
    assert.match(text, /event: message_delta\ndata: \{"type":"message_delta","delta":\{"stop_reason":"end_turn","stop_sequence":null\},"usage":\{[^}]*"server_tool_use":\{"web_search_requests":1\}\}\}/);
  });

  it('the SDK\'s stream accumulates the same message as the unstreamed answer', async () => {
    anthropic.queue(searchAnswer);
    const streamed = await client.messages.stream(question).finalMessage();
    const upstream = anthropicMessageBody(searchAnswer, 'claude-sonnet-4-6', { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    assert.deepEqual(streamed.content, upstream.content);
  });

  it('the next turn sends the server tool blocks back to the upstream unchanged', async () => {
    anthropic.queue(searchAnswer, { blocks: [{ type: 'text', text: 'You are welcome.' }] });
    const first = await client.messages.create(question);
    const second = await client.messages.create({ ...question, messages: [...question.messages, { role: 'assistant', content: first.content }, { role: 'user', content: 'Thanks!' }] });
    assert.equal(second.content[0]?.type === 'text' ? second.content[0].text : '', 'You are welcome.');
    const sent = upstreamBody().messages as { role: string; content: unknown }[];
    assert.deepEqual(sent[1], { role: 'assistant', content: first.content });
  });
});

describe('server tools with another upstream', () => {
  it('are refused with a 400 naming the tool and the provider', async () => {
    await assert.rejects(client.messages.create({ ...question, model: 'chat-model' }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /tools\[0\]: 'web_search' is the server tool 'web_search_20250305' of provider type anthropic.*provider 'cerebras'/);
      return true;
    });
  });

  it('their blocks in the history are refused too, naming the block', async () => {
    const history = [
      { role: 'user' as const, content: 'What is llmux?' },
      { role: 'assistant' as const, content: anthropicMessageBody(searchAnswer, 'm', { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }).content as Anthropic.ContentBlockParam[] },
      { role: 'user' as const, content: 'Thanks!' },
    ];
    await assert.rejects(client.messages.create({ model: 'chat-model', max_tokens: 100, messages: history }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      assert.match(error.message, /'server_tool_use' block is in the format of provider type anthropic.*provider 'cerebras'/);
      return true;
    });
    assert.equal(cerebras.chatRequests().length, 0);
  });
});

describe('stop sequences', () => {
  it('the sequence an Anthropic upstream names is the client\'s stop_sequence, streamed and not', async () => {
    const answer: FakeAnthropicAnswer = { blocks: [{ type: 'text', text: 'One, two' }], stopReason: 'stop_sequence', stopSequence: ', three' };
    anthropic.queue(answer, answer);
    const request = { model: 'claude-sonnet-4-6', max_tokens: 50, stop_sequences: ['END', ', three'], messages: [{ role: 'user' as const, content: 'Count.' }] };
    const message = await client.messages.create(request);
    assert.equal(message.stop_reason, 'stop_sequence');
    assert.equal(message.stop_sequence, ', three');
    assert.deepEqual(upstreamBody().stop_sequences, ['END', ', three']);
    const response = await fetch(`${gateway.baseUrl}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify({ ...request, stream: true }) });
    assert.match(await response.text(), /event: message_delta\ndata: \{"type":"message_delta","delta":\{"stop_reason":"stop_sequence","stop_sequence":", three"\},/);
  });

  it('an upstream that does not say which sequence matched leaves it null', async () => {
    cerebras.answer({ text: 'One, two' });
    const message = await client.messages.create({ model: 'chat-model', max_tokens: 50, stop_sequences: [', three'], messages: [{ role: 'user', content: 'Count.' }] });
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.stop_sequence, null);
  });
});

describe('tool results with blocks', () => {
  const conversation = (model: string) => ({
    model,
    max_tokens: 100,
    tools: [{ name: 'screenshot', description: 'Screenshot a page', input_schema: { type: 'object' as const, properties: { url: { type: 'string' } } } }],
    messages: [
      { role: 'user' as const, content: 'Screenshot example.com' },
      { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_01Shot', name: 'screenshot', input: { url: 'https://example.com' } }] },
      {
        role: 'user' as const,
        content: [
          {
            type: 'tool_result' as const,
            tool_use_id: 'toolu_01Shot',
            is_error: true,
            content: [
              { type: 'text' as const, text: 'Partly rendered:' },
              { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: PNG } },
              { type: 'text' as const, text: 'timeout after 5 s', cache_control: { type: 'ephemeral' as const } },
            ],
          },
          { type: 'text' as const, text: 'What went wrong?' },
        ],
      },
    ],
  });

  it('reach an Anthropic upstream unchanged: blocks, image, is_error and cache_control', async () => {
    anthropic.queue({ blocks: [{ type: 'text', text: 'It timed out.' }] });
    const request = conversation('claude-sonnet-4-6');
    const { response } = await client.messages.create(request).withResponse();
    assert.equal(response.headers.get('x-llmux-degraded'), null);
    assert.deepEqual((upstreamBody().messages as unknown[])[2], request.messages[2]);
  });

  it('a search_result block in a tool result reaches an Anthropic upstream whole, and is refused for any other', async () => {
    const searchResult = { type: 'search_result', source: 'https://example.com/kb/42', title: 'Timeouts', content: [{ type: 'text', text: 'Raise the timeout to 30 s.' }], citations: { enabled: true } };
    const request = conversation('claude-sonnet-4-6');
    const withSearch = { ...request, messages: [...request.messages.slice(0, 2), { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_01Shot', content: [searchResult] }] }] } as Anthropic.MessageCreateParamsNonStreaming;
    anthropic.queue({ blocks: [{ type: 'text', text: 'Raise it.' }] });
    await client.messages.create(withSearch);
    assert.deepEqual((upstreamBody().messages as unknown[])[2], withSearch.messages[2]);
    await assert.rejects(client.messages.create({ ...withSearch, model: 'chat-model' }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      assert.match(error.message, /'search_result' block is in the format of provider type anthropic.*provider 'cerebras'/);
      return true;
    });
  });

  it('documents keep their citations and context for an Anthropic upstream, in user content and in tool results', async () => {
    const document = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Timeouts default to 5 s.' }, title: 'Runbook', context: 'Internal runbook, 2026', citations: { enabled: true } };
    const request = conversation('claude-sonnet-4-6');
    const withDocuments = {
      ...request,
      messages: [
        { role: 'user' as const, content: [document, { type: 'text', text: 'Screenshot example.com' }] },
        request.messages[1],
        { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_01Shot', content: [{ type: 'text', text: 'See the runbook.' }, { ...document, cache_control: { type: 'ephemeral' } }] }] },
      ],
    } as Anthropic.MessageCreateParamsNonStreaming;
    anthropic.queue({ blocks: [{ type: 'text', text: 'Raise it.' }] });
    const { response } = await client.messages.create(withDocuments).withResponse();
    assert.equal(response.headers.get('x-llmux-degraded'), null);
    assert.deepEqual(upstreamBody().messages, withDocuments.messages);
  });

  it('reach a chat-completions upstream as the text result and the image after it, declared', async () => {
    cerebras.answer({ text: 'It timed out.' });
    const { response } = await client.messages.create(conversation('chat-model')).withResponse();
    assert.match(response.headers.get('x-llmux-degraded') ?? '', /messages/);
    assert.match(response.headers.get('x-llmux-degraded') ?? '', /cache_control/);
    const sent = cerebras.chatRequests().at(-1) as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(sent.messages.slice(2), [
      { role: 'tool', tool_call_id: 'toolu_01Shot', content: 'Partly rendered:\ntimeout after 5 s' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
      { role: 'user', content: 'What went wrong?' },
    ]);
  });
});
