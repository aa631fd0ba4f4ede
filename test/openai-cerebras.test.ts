import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { readOpenAIChatStream } from '../test-support/read-openai-chat-stream.ts';
import { cerebrasOpenAIGatewayPerSuite } from '../test-support/start-cerebras-openai-gateway.ts';

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

interface UpstreamChatBody {
  model: string;
  stream?: boolean;
  messages: { role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  tools?: unknown[];
  [field: string]: unknown;
}

/** openai SDK → llmux → the real cerebras adapter → a fake Cerebras on loopback. */
describe('OpenAI clients served by Cerebras', () => {
  const suite = cerebrasOpenAIGatewayPerSuite();

  function lastChatBody(): UpstreamChatBody {
    const body = suite.cerebras.chatRequests().at(-1);
    assert.ok(typeof body === 'object' && body !== null);
    return body as UpstreamChatBody;
  }

  it('answers a chat with reasoning as reasoning_content and the upstream usage', async () => {
    suite.cerebras.answer({ text: 'Hello there!', reasoning: 'The user greets me.' });
    const { data: completion, response } = await suite.client.chat.completions
      .create({ model: 'gpt-oss', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 100, temperature: 0.2, reasoning_effort: 'high' })
      .withResponse();
    const message = completion.choices[0]?.message as OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string };
    assert.equal(message.content, 'Hello there!');
    assert.equal(message.reasoning_content, 'The user greets me.');
    assert.equal(completion.model, 'gpt-oss');
    assert.equal(completion.id, 'chatcmpl-fake-1');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(completion.usage, {
      prompt_tokens: 24,
      completion_tokens: 6,
      total_tokens: 30,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 4 },
    });
    assert.equal(response.headers.get('x-llmux-provider'), 'cerebras');
    assert.equal(response.headers.get('x-llmux-model'), 'gpt-oss-120b');

    const upstream = lastChatBody();
    assert.equal(upstream.model, 'gpt-oss-120b');
    assert.deepEqual(upstream.messages, [{ role: 'user', content: 'Hi' }]);
    assert.equal(upstream.max_completion_tokens, 100);
    assert.equal(upstream.temperature, 0.2);
    assert.equal(upstream.reasoning_effort, 'high');
    assert.equal(suite.cerebras.server.lastCall('/v1/chat/completions')?.headers.authorization, 'Bearer csk-test-key');
  });

  it('streams text and reasoning with a usage chunk', async () => {
    suite.cerebras.answer({ text: 'One two three', reasoning: 'Count to three.' });
    const stream = await suite.client.chat.completions.create({
      model: 'gpt-oss',
      messages: [{ role: 'user', content: 'Count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { content, reasoning, finishReason: finish, usage } = await readOpenAIChatStream(stream);
    assert.equal(content, 'One two three');
    assert.equal(reasoning, 'Count to three.');
    assert.equal(finish, 'stop');
    assert.deepEqual(usage, {
      prompt_tokens: 24,
      completion_tokens: 6,
      total_tokens: 30,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    assert.equal(lastChatBody().stream, true);
  });

  it('streams tool calls that the SDK assembles, then sends the tool result back', async () => {
    suite.cerebras.answer({ toolCalls: [{ id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }] });
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ];
    const completion = await suite.client.chat.completions.stream({ model: 'gpt-oss', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools }).finalChatCompletion();
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(completion.choices[0]?.message.tool_calls, [
      { id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } },
    ]);
    assert.deepEqual(lastChatBody().tools, [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ]);

    suite.cerebras.answer({ text: 'It is 21°C in Paris.' });
    const answer = await suite.client.chat.completions.create({
      model: 'gpt-oss',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: completion.choices[0]?.message.tool_calls ?? [] },
        { role: 'tool', tool_call_id: 'call_paris', content: '{"temp":21}' },
      ],
      tools,
    });
    assert.equal(answer.choices[0]?.message.content, 'It is 21°C in Paris.');
    const upstream = lastChatBody();
    assert.equal(upstream.messages[2]?.role, 'tool');
    assert.equal(upstream.messages[2]?.tool_call_id, 'call_paris');
    assert.equal(upstream.messages[2]?.content, '{"temp":21}');
  });

  it('sends images to Cerebras as image_url parts', async () => {
    suite.cerebras.answer({ text: 'A red pixel.' });
    await suite.client.chat.completions.create({
      model: 'gpt-oss',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          ],
        },
      ],
    });
    const content = lastChatBody().messages[0]?.content;
    assert.ok(Array.isArray(content));
    assert.deepEqual(content[0], { type: 'text', text: 'What is this?' });
    assert.equal((content[1] as { type: string }).type, 'image_url');
    assert.equal((content[1] as { image_url: { url: string } }).image_url.url, `data:image/png;base64,${PNG_BASE64}`);
  });

  it('maps upstream 404, 429 (keeping retry-after) and 500', async () => {
    suite.cerebras.fail(404, { message: 'Model does-not-exist does not exist', type: 'not_found_error', code: 'model_not_found' });
    const notFound = await suite.client.chat.completions.create({ model: 'cerebras/does-not-exist', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(notFound instanceof OpenAI.NotFoundError);
    assert.equal(notFound.message, '404 Model does-not-exist does not exist');
    assert.equal(notFound.type, 'invalid_request_error');

    suite.cerebras.fail(429, { message: 'Requests per minute limit exceeded', type: 'too_many_requests_error' }, { 'retry-after': '2' });
    for (const stream of [false, true]) {
      const limited = await suite.client.chat.completions.create({ model: 'gpt-oss', messages: [{ role: 'user', content: 'Hi' }], stream }).catch((caught: unknown) => caught);
      assert.ok(limited instanceof OpenAI.RateLimitError, String(limited));
      assert.equal(limited.message, '429 Requests per minute limit exceeded');
      assert.equal(limited.headers?.get('retry-after'), '2');
    }

    suite.cerebras.fail(500, { message: 'Internal server error', type: 'server_error' });
    const failed = await suite.client.chat.completions.create({ model: 'gpt-oss', messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    assert.ok(failed instanceof OpenAI.InternalServerError);
    assert.equal(failed.status, 502);
    assert.equal(failed.type, 'api_error');
  });

  it('closes the upstream request when the client aborts', { timeout: 10_000 }, async () => {
    suite.cerebras.answer({ text: 'Once upon a time', holdOpen: true });
    const controller = new AbortController();
    const stream = await suite.client.chat.completions.create({ model: 'gpt-oss', messages: [{ role: 'user', content: 'Story' }], stream: true }, { signal: controller.signal });
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? '').length > 0) controller.abort();
    }
    const call = suite.cerebras.server.lastCall('/v1/chat/completions');
    assert.ok(call !== undefined);
    assert.equal(await call.aborted, true);
  });

  it('closes the upstream request when the client aborts a non-streamed request', { timeout: 10_000 }, async () => {
    let arrived!: () => void;
    const reachedUpstream = new Promise<void>((resolve) => (arrived = resolve));
    suite.cerebras.server.on('POST', '/v1/chat/completions', async (call) => {
      arrived();
      await call.aborted;
    });
    const controller = new AbortController();
    const pending = suite.client.chat.completions.create({ model: 'gpt-oss', messages: [{ role: 'user', content: 'Story' }] }, { signal: controller.signal });
    await reachedUpstream;
    controller.abort();
    await assert.rejects(pending, OpenAI.APIUserAbortError);
    assert.equal(await suite.cerebras.server.lastCall('/v1/chat/completions')?.aborted, true);
  });
});
