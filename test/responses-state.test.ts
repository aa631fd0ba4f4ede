import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import type { RequestOutcome } from '../src/observability/request-outcome.ts';
import { textScript } from '../test-support/scripted-provider.ts';
import { scriptedOpenAIGatewayPerSuite } from '../test-support/start-scripted-openai-gateway.ts';

/** Stored responses over several turns, input item pages, and compaction, through the openai SDK. */
describe('Responses API state through the openai SDK', () => {
  const suite = scriptedOpenAIGatewayPerSuite();

  it('replays a chain of three responses, with tool calls and their outputs, to the provider', async () => {
    suite.provider.script = [
      { type: 'response-start' },
      { type: 'tool-call-start', id: 'b0', toolCallId: 'call_1', name: 'lookup' },
      { type: 'tool-call-delta', id: 'b0', argumentsDelta: '{"q":"x"}' },
      { type: 'tool-call-end', id: 'b0' },
      { type: 'finish', finishReason: 'tool-calls' },
    ];
    const first = await suite.client.responses.create({ model: 'gpt-test', input: 'Look x up', tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' }, strict: false }] });
    const call = first.output[0];
    assert.ok(call?.type === 'function_call');
    suite.provider.script = textScript('x is 42');
    const second = await suite.client.responses.create({
      model: 'gpt-test',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '42' }],
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' }, strict: false }],
    });
    suite.provider.script = textScript('You asked about x.');
    await suite.client.responses.create({ model: 'gpt-test', previous_response_id: second.id, input: 'What did I ask?' });
    const messages = suite.provider.requests.at(-1)?.messages ?? [];
    assert.deepEqual(
      messages.map((message) => [message.role, message.parts.map((part) => part.type).join(',')]),
      [
        ['user', 'text'],
        ['assistant', 'tool-call'],
        ['tool', 'tool-result'],
        ['assistant', 'text'],
        ['user', 'text'],
      ],
    );
  });

  it('pages input items newest first, or oldest first with order=asc', async () => {
    const input = ['one', 'two', 'three'].map((text) => ({ role: 'user' as const, content: text }));
    const response = await suite.client.responses.create({ model: 'gpt-test', input });
    const texts = (page: OpenAI.Responses.ResponseItem[]): string[] =>
      page.map((item) => (item.type === 'message' && item.content[0]?.type === 'input_text' ? item.content[0].text : '?'));
    const newest = await suite.client.responses.inputItems.list(response.id, { limit: 2 });
    assert.deepEqual(texts(newest.data), ['three', 'two']);
    assert.equal(newest.has_more, true);
    const rest = await newest.getNextPage();
    assert.deepEqual(texts(rest.data), ['one']);
    assert.equal(rest.has_more, false);
    const oldest = await suite.client.responses.inputItems.list(response.id, { order: 'asc' });
    assert.deepEqual(texts(oldest.data), ['one', 'two', 'three']);
    assert.ok(oldest.data.every((item) => typeof item.id === 'string' && item.id.startsWith('msg_')));
  });

  it('compacts a conversation into the user messages and a summary written by the model', async () => {
    suite.provider.script = textScript('The user wants x looked up; it is 42.');
    const response = await fetch(`${suite.gateway.baseUrl}/v1/responses/compact`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'gpt-test',
        instructions: 'You are a coding agent.',
        input: [
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Look x up' }] },
          { type: 'function_call', call_id: 'c1', name: 'lookup', arguments: '{"q":"x"}' },
          { type: 'function_call_output', call_id: 'c1', output: '42' },
        ],
        tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }],
      }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { object: string; output: { type: string; role: string; content: { text: string }[] }[] };
    assert.equal(body.object, 'response.compaction');
    assert.deepEqual(
      body.output.map((item) => [item.type, item.role, item.content[0]?.text]),
      [
        ['message', 'user', 'Look x up'],
        ['message', 'user', 'Summary of the earlier conversation (compacted by llmux):\n\nThe user wants x looked up; it is 42.'],
      ],
    );
    const sent = suite.provider.requests.at(-1);
    assert.equal(sent?.toolChoice, 'none');
    assert.equal(sent?.messages[0]?.role, 'system');
    const last = sent?.messages.at(-1)?.parts[0];
    assert.match(last?.type === 'text' ? last.text : '', /summary/);
  });

  it('carries provider reasoning state through encrypted_content, so a store: false client hands it back', async () => {
    // As a provider with thinking signatures streams it (a function script passes events as they are).
    const events: ChatStreamEvent[] = [
      { type: 'response-start' },
      { type: 'reasoning-start', id: 'r' },
      { type: 'reasoning-delta', id: 'r', text: 'Signed thought.' },
      { type: 'reasoning-end', id: 'r', metadata: { provider: 'anthropic', signature: 'sig-123' } },
      { type: 'reasoning-start', id: 'x', redacted: true },
      { type: 'reasoning-end', id: 'x', metadata: { provider: 'anthropic', encrypted: 'opaque-bytes' } },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', text: 'Done.' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: 'stop' },
    ];
    suite.provider.script = async function* () {
      yield* events;
    };
    const first = await suite.client.responses.create({ model: 'gpt-test', input: 'Think', store: false, include: ['reasoning.encrypted_content'] });
    const [signed, redacted] = first.output;
    assert.ok(signed?.type === 'reasoning' && redacted?.type === 'reasoning');
    assert.match(signed.encrypted_content ?? '', /^llmux1\./);
    assert.deepEqual(redacted.content, undefined);
    assert.deepEqual(redacted.summary, []);

    suite.provider.script = textScript('Next.');
    const resent = JSON.parse(JSON.stringify(first.output)) as OpenAI.Responses.ResponseInputItem[];
    await suite.client.responses.create({ model: 'gpt-test', store: false, input: [{ role: 'user', content: 'Think' }, ...resent, { role: 'user', content: 'Go on' }] });
    const assistant = suite.provider.requests.at(-1)?.messages[1];
    assert.deepEqual(assistant?.parts.slice(0, 2), [
      { type: 'reasoning', text: 'Signed thought.', metadata: { provider: 'anthropic', signature: 'sig-123' } },
      { type: 'reasoning', text: '', redacted: true, metadata: { provider: 'anthropic', encrypted: 'opaque-bytes' } },
    ]);
  });

  it("keeps OpenAI's own encrypted reasoning as OpenAI's, for that provider type only", async () => {
    await suite.client.responses.create({
      model: 'gpt-test',
      input: [{ role: 'user', content: 'a' }, { type: 'reasoning', id: 'rs_openai', summary: [], encrypted_content: 'gAAAAB-openai' }, { role: 'user', content: 'b' }],
    });
    assert.deepEqual(suite.provider.requests.at(-1)?.messages[1]?.parts, [{ type: 'reasoning', text: '', metadata: { provider: 'openai', encrypted: 'gAAAAB-openai', itemId: 'rs_openai' } }]);
  });

  it('gives token log probabilities when asked for with include', async () => {
    suite.provider.script = [
      { type: 'text-delta', id: 't', text: 'Hi', logprobs: [{ token: 'Hi', logprob: -0.1, top: [{ token: 'Hello', logprob: -2.5 }] }] },
      { type: 'finish', finishReason: 'stop' },
    ];
    const stream = suite.client.responses.stream({ model: 'gpt-test', input: 'Greet', include: ['message.output_text.logprobs'], top_logprobs: 1 });
    const deltas: OpenAI.Responses.ResponseTextDeltaEvent[] = [];
    for await (const event of stream) if (event.type === 'response.output_text.delta') deltas.push(event);
    const expected = [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hello', logprob: -2.5, bytes: [72, 101, 108, 108, 111] }] }];
    assert.deepEqual(deltas[0]?.logprobs, expected);
    const message = (await stream.finalResponse()).output[0];
    assert.ok(message?.type === 'message' && message.content[0]?.type === 'output_text');
    assert.deepEqual(message.content[0].logprobs, expected);
    assert.equal(suite.provider.requests.at(-1)?.logprobs, true);
    assert.equal(suite.provider.requests.at(-1)?.topLogprobs, 1);
  });

  it('declares what llmux drops in x-llmux-degraded', async () => {
    const body = { model: 'gpt-test', input: 'hi', truncation: 'auto', max_tool_calls: 3 } as OpenAI.Responses.ResponseCreateParamsNonStreaming;
    const { response } = await suite.client.responses.create(body).withResponse();
    assert.equal(response.headers.get('x-llmux-degraded'), 'truncation, max_tool_calls');
    const plain = await suite.client.responses.create({ model: 'gpt-test', input: 'hi' }).withResponse();
    assert.equal(plain.response.headers.get('x-llmux-degraded'), null);
  });

  it('records its requests as the responses protocol, with the usage streamed', async () => {
    const outcomes: RequestOutcome[] = [];
    suite.gateway.gateway.services.outcomes.subscribe((outcome) => outcomes.push(outcome));
    const stream = suite.client.responses.stream({ model: 'gpt-test', input: 'hi' });
    const final = await stream.finalResponse();
    await suite.client.responses.retrieve(final.id);
    await new Promise((resolve) => setImmediate(resolve));
    const created = outcomes.find((outcome) => outcome.route === '/v1/responses');
    assert.equal(created?.protocol, 'responses');
    assert.equal(created?.streamed, true);
    assert.ok((created?.usage?.output.total ?? 0) > 0);
    assert.equal(outcomes.find((outcome) => outcome.route === '/v1/responses/:id')?.protocol, 'responses');
  });
});
