import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { cerebrasOpenAIGatewayPerSuite } from '../test-support/start-cerebras-openai-gateway.ts';

interface UpstreamChatBody {
  model: string;
  stream?: boolean;
  messages: { role: string; content: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
  [field: string]: unknown;
}

/** openai SDK `client.responses` → llmux → the real cerebras adapter → a fake Cerebras on loopback. */
describe('the Responses API served by Cerebras, through the openai SDK', () => {
  const suite = cerebrasOpenAIGatewayPerSuite();

  function upstreamBodies(): UpstreamChatBody[] {
    return suite.cerebras.chatRequests() as UpstreamChatBody[];
  }

  it('answers responses.create with reasoning and message items, integer usage, and sends the instructions as a system message', async () => {
    suite.cerebras.answer({ text: 'Hello there!', reasoning: 'The user greets me.' });
    const response = await suite.client.responses.create({
      model: 'gpt-oss',
      instructions: 'Be brief.',
      input: 'Hi',
      max_output_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      reasoning: { effort: 'high' },
    });
    assert.match(response.id, /^resp_/);
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.equal(response.model, 'gpt-oss');
    assert.equal(response.output_text, 'Hello there!');
    const [reasoning, message] = response.output;
    assert.equal(reasoning?.type, 'reasoning');
    assert.deepEqual(reasoning?.type === 'reasoning' ? reasoning.content : undefined, [{ type: 'reasoning_text', text: 'The user greets me.' }]);
    assert.equal(message?.type, 'message');
    assert.deepEqual(message?.type === 'message' ? message.content : undefined, [{ type: 'output_text', text: 'Hello there!', annotations: [], logprobs: [] }]);
    assert.ok(response.usage !== undefined && response.usage !== null);
    for (const value of [response.usage.input_tokens, response.usage.output_tokens, response.usage.total_tokens, response.usage.input_tokens_details.cached_tokens, response.usage.output_tokens_details.reasoning_tokens]) {
      assert.ok(Number.isInteger(value));
    }
    assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);

    const upstream = upstreamBodies().at(-1);
    assert.ok(upstream !== undefined);
    assert.deepEqual(upstream.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    assert.equal(upstream.temperature, 0.2);
    assert.equal(upstream.top_p, 0.9);
    assert.equal(upstream.reasoning_effort, 'high');
    assert.ok(upstream.max_completion_tokens === 100 || upstream.max_tokens === 100);
  });

  it('streams with responses.stream: every event numbered in order, a function call assembled, then response.completed', async () => {
    suite.cerebras.answer({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const stream = suite.client.responses.stream({
      model: 'gpt-oss',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] }],
      tools: [{ type: 'function', name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
    const types: string[] = [];
    const sequence: number[] = [];
    const tiers: unknown[] = [];
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.created' || event.type === 'response.in_progress' || event.type === 'response.completed') tiers.push(event.response.service_tier);
    }
    const final = await stream.finalResponse();
    assert.deepEqual(sequence, sequence.map((_, index) => index));
    // In progress the tier asked for (none: auto); finished the tier that served it (Cerebras names none: default).
    assert.deepEqual(tiers, ['auto', 'auto', 'default']);
    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      ...types.filter((type) => type === 'response.function_call_arguments.delta'),
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const call = final.output[0];
    assert.equal(call?.type, 'function_call');
    assert.ok(call?.type === 'function_call');
    assert.equal(call.call_id, 'call_1');
    assert.equal(call.name, 'get_weather');
    assert.equal(call.arguments, '{"city":"Paris"}');
    const upstream = upstreamBodies().at(-1);
    assert.equal(upstream?.stream, true);
    assert.equal(upstream?.tools?.[0]?.function.name, 'get_weather');
    assert.equal(upstream?.parallel_tool_calls, false);
  });

  it('streams text: the message item, its part, deltas and done events, in the order the SDK rebuilds them', async () => {
    suite.cerebras.answer({ text: 'Bonjour ☃ à tous', reasoning: 'French.' });
    const stream = suite.client.responses.stream({ model: 'gpt-oss', input: 'Say hi in French', reasoning: { effort: 'low', summary: 'auto' } });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    const final = await stream.finalResponse();
    assert.equal(text, 'Bonjour ☃ à tous');
    assert.equal(final.output_text, 'Bonjour ☃ à tous');
    const unique = types.filter((type, index) => type !== types[index - 1]);
    assert.deepEqual(unique, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const reasoning = final.output[0];
    assert.ok(reasoning?.type === 'reasoning');
    assert.deepEqual(reasoning.summary, [{ type: 'summary_text', text: 'French.' }]);
  });

  it('stores a response, retrieves it, continues it with previous_response_id (without its instructions), lists its input items and deletes it', async () => {
    suite.cerebras.answer({ text: 'Paris.' });
    const first = await suite.client.responses.create({ model: 'gpt-oss', instructions: 'Answer in one word.', input: 'Capital of France?' });
    const retrieved = await suite.client.responses.retrieve(first.id);
    assert.equal(retrieved.id, first.id);
    assert.equal(retrieved.output_text, 'Paris.');
    assert.equal(retrieved.status, 'completed');

    suite.cerebras.answer({ text: 'About 2.1 million.' });
    const second = await suite.client.responses.create({ model: 'gpt-oss', previous_response_id: first.id, input: 'Its population?' });
    assert.equal(second.previous_response_id, first.id);
    assert.deepEqual(upstreamBodies().at(-1)?.messages, [
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'Its population?' },
    ]);

    const items = await suite.client.responses.inputItems.list(second.id);
    assert.equal(items.data.length, 1);
    const item = items.data[0];
    assert.ok(item?.type === 'message');
    assert.deepEqual(item.content, [{ type: 'input_text', text: 'Its population?' }]);

    await suite.client.responses.delete(first.id);
    await assert.rejects(suite.client.responses.retrieve(first.id), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.match(error.message, new RegExp(`Response with id '${first.id}' not found`));
      return true;
    });
    await assert.rejects(suite.client.responses.delete(first.id), OpenAI.NotFoundError);
    await assert.rejects(suite.client.responses.create({ model: 'gpt-oss', previous_response_id: first.id, input: 'And?' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.param, 'previous_response_id');
      return true;
    });
  });

  it('stores a streamed response before its last event leaves', async () => {
    suite.cerebras.answer({ text: 'Streamed and stored.' });
    const stream = suite.client.responses.stream({ model: 'gpt-oss', input: 'Hi' });
    const final = await stream.finalResponse();
    const retrieved = await suite.client.responses.retrieve(final.id);
    assert.equal(retrieved.output_text, 'Streamed and stored.');
  });

  it('stores nothing with store: false', async () => {
    suite.cerebras.answer({ text: 'Not kept.' });
    const response = await suite.client.responses.create({ model: 'gpt-oss', input: 'Hi', store: false });
    assert.equal((response as unknown as { store: boolean }).store, false);
    await assert.rejects(suite.client.responses.retrieve(response.id), OpenAI.NotFoundError);
  });

  it('reports a length stop as incomplete with its reason', async () => {
    suite.cerebras.answer({ text: 'Once upon a', finishReason: 'length' });
    const response = await suite.client.responses.create({ model: 'gpt-oss', input: 'Tell a story', max_output_tokens: 3 });
    assert.equal(response.status, 'incomplete');
    assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
    const stream = suite.client.responses.stream({ model: 'gpt-oss', input: 'Tell a story', max_output_tokens: 3 });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    assert.equal(types.at(-1), 'response.incomplete');
  });

  it('ends a stream whose upstream broke off with response.failed, never a silent stop', async () => {
    suite.cerebras.answer({ text: 'Once upon', cut: true });
    const stream = suite.client.responses.stream({ model: 'gpt-oss', input: 'Tell a story' });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    assert.equal(last?.type, 'response.failed');
    assert.ok(last?.type === 'response.failed');
    assert.equal(last.response.status, 'failed');
    assert.match(last.response.error?.message ?? '', /ended before the response was complete/);
    assert.equal(last.sequence_number, events.length - 1);
  });

  it('closes the upstream request when the client aborts a stream', { timeout: 10_000 }, async () => {
    suite.cerebras.answer({ text: 'Once upon a time', holdOpen: true });
    const controller = new AbortController();
    const stream = await suite.client.responses.create({ model: 'gpt-oss', input: 'Story', stream: true }, { signal: controller.signal });
    for await (const event of stream) if (event.type === 'response.output_text.delta') controller.abort();
    const call = suite.cerebras.server.lastCall('/v1/chat/completions');
    assert.ok(call !== undefined);
    assert.equal(await call.aborted, true);
  });

  it('counts input tokens with the tokenizer', async () => {
    const counted = (await suite.client.responses.inputTokens.count({ model: 'gpt-oss', input: 'Hello there, how are you?' })) as { object: string; input_tokens: number };
    assert.equal(counted.object, 'response.input_tokens');
    assert.ok(Number.isInteger(counted.input_tokens) && counted.input_tokens > 3);
    assert.equal(upstreamBodies().length, 0);
  });

  it('refuses a WebSocket upgrade on /v1/responses with 426, the status on which Codex falls back to HTTP at once', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = httpRequest(`${suite.gateway.baseUrl}/v1/responses`, {
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'openai-beta': 'responses_websockets=2026-02-06' },
      });
      outgoing.on('response', (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
      });
      outgoing.on('upgrade', () => reject(new Error('upgraded')));
      outgoing.on('error', reject);
      outgoing.end();
    });
    assert.equal(status, 426);
    assert.match(body, /POST \/v1\/responses/);
  });
});
