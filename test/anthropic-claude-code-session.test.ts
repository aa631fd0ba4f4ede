import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { FAKE_ANTHROPIC_KEY, FakeAnthropicServer } from '../test-support/fake-anthropic-server.ts';
import type { FakeAnthropicAnswer } from '../test-support/fake-anthropic-answer.ts';
import { FakeCerebrasUpstream, type FakeCerebrasAnswer } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// A recorded Claude Code–style session replayed through llmux to a chat-only upstream (Cerebras)
// and to an Anthropic upstream. What the client receives is compared byte for byte with the files
// in test-support/claude-code-session/expected/ (LLMUX_UPDATE_FIXTURES=1 rewrites them, to be read
// before committing); what each upstream received is checked field by field.

interface SessionStep {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown> & { messages: { role: string; content: unknown }[] };
  anthropic?: FakeAnthropicAnswer;
  cerebras?: FakeCerebrasAnswer;
}

const DIRECTORY = new URL('../test-support/claude-code-session/', import.meta.url);
const session = JSON.parse(readFileSync(new URL('session.json', DIRECTORY), 'utf8')) as { steps: SessionStep[] };
const step = (name: string): SessionStep => session.steps.find((entry) => entry.name === name) as SessionStep;
const CLIENT_KEY = 'sk-llmux-claude-code';

function expectBytes(upstream: string, name: string, actual: string): void {
  const file = new URL(`expected/${upstream}/${name}.txt`, DIRECTORY);
  if (process.env.LLMUX_UPDATE_FIXTURES === '1' || !existsSync(file)) {
    mkdirSync(new URL(`expected/${upstream}/`, DIRECTORY), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${upstream}/${name}: the client's bytes differ from the recording`);
}

async function replay(gateway: TestGateway, entry: SessionStep): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(gateway.baseUrl + entry.url, { method: 'POST', headers: entry.headers, body: JSON.stringify(entry.body) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The SSE events of a body, checked for Anthropic's sequence: message_start, blocks one after another, message_delta, message_stop. */
function checkSequence(text: string): { type: string; [key: string]: unknown }[] {
  const events = text.split('\n\n').filter((chunk) => chunk.length > 0).map((chunk) => {
    const [eventLine, dataLine] = chunk.split('\n');
    const data = JSON.parse((dataLine ?? '').slice('data: '.length)) as { type: string; [key: string]: unknown };
    assert.equal(eventLine, `event: ${data.type}`);
    return data;
  });
  assert.equal(events[0]?.type, 'message_start');
  assert.deepEqual(events.slice(-2).map((event) => event.type), ['message_delta', 'message_stop']);
  let open: number | undefined;
  let next = 0;
  for (const event of events) {
    const index = event.index as number | undefined;
    if (event.type === 'content_block_start') {
      assert.equal(open, undefined, 'a block started while another was open');
      assert.equal(index, next++);
      open = index;
    } else if (event.type === 'content_block_delta') assert.equal(index, open);
    else if (event.type === 'content_block_stop') {
      assert.equal(index, open);
      open = undefined;
    }
  }
  assert.equal(events.filter((event) => event.type === 'message_start').length, 1);
  return events;
}

/**
 * The messages as llmux passes them on: tool results keep their blocks (text, images, each block's
 * cache_control); only `is_error: false` (the default) is left out — the same result, in the
 * Messages API's shorter form.
 */
function asCanonicalCarriesThem(messages: SessionStep['body']['messages']): unknown[] {
  return messages.map((message) => {
    if (!Array.isArray(message.content)) return message;
    const content = (message.content as Record<string, unknown>[]).map((block) => {
      if (block.type !== 'tool_result') return block;
      const { is_error: isError, ...rest } = block;
      return isError === true ? { ...rest, is_error: true } : rest;
    });
    return { ...message, content };
  });
}

describe('Claude Code session through llmux to a chat-only upstream (Cerebras)', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;
  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    gateway = await startTestGateway({
      providers: [cerebras.providerConfig()],
      models: [
        { name: 'claude-haiku-*', target: 'cerebras/llama3.1-8b' },
        { name: 'claude-*', target: 'cerebras/gpt-oss-120b' },
      ],
      keys: [{ key: CLIENT_KEY, name: 'claude-code' }],
    });
  });
  after(async () => {
    await gateway.close();
    await cerebras.close();
  });

  test('the small model answers the quota probe, not streamed', async () => {
    const entry = step('quota-probe');
    cerebras.answer(entry.cerebras as FakeCerebrasAnswer);
    const { status, text } = await replay(gateway, entry);
    assert.equal(status, 200);
    expectBytes('cerebras', entry.name, text);
    const message = JSON.parse(text) as { stop_reason: string; usage: { input_tokens: number; output_tokens: number } };
    assert.equal(message.stop_reason, 'max_tokens');
    assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
    assert.equal((cerebras.chatRequests().at(-1) as { model: string }).model, 'llama3.1-8b');
  });

  test('count_tokens is answered (with the tokenizer), never a 404', async () => {
    const entry = step('count-tokens');
    const { status, text, headers } = await replay(gateway, entry);
    assert.equal(status, 200);
    assert.equal(headers.get('x-llmux-token-count'), 'counted');
    expectBytes('cerebras', entry.name, text);
    assert.ok((JSON.parse(text) as { input_tokens: number }).input_tokens > 100);
  });

  for (const name of ['turn-1-read', 'turn-2-bash', 'turn-3-answer']) {
    test(`${name}: streamed in Anthropic's exact sequence`, async () => {
      const entry = step(name);
      cerebras.answer(entry.cerebras as FakeCerebrasAnswer);
      const { status, text, headers } = await replay(gateway, entry);
      assert.equal(status, 200);
      assert.match(headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.ok((headers.get('request-id') ?? '').length > 0);
      assert.match(headers.get('x-llmux-degraded') ?? '', /cache_control/);
      expectBytes('cerebras', name, text);
      const events = checkSequence(text);
      const usage = events.at(-2)?.usage as Record<string, number>;
      assert.ok(usage.input_tokens > 0 && usage.output_tokens > 0);
      const sent = cerebras.chatRequests().at(-1) as { model: string; messages: { role: string; tool_call_id?: string; tool_calls?: { id: string }[] }[]; tools: unknown[] };
      assert.equal(sent.model, 'gpt-oss-120b');
      assert.equal(sent.tools.length, 2);
      // Claude Code's three system blocks are one system message; tool results answer their calls by id.
      assert.equal(sent.messages.filter((message) => message.role === 'system').length, 1);
      const calls = sent.messages.flatMap((message) => message.tool_calls?.map((call) => call.id) ?? []);
      const results = sent.messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id);
      assert.deepEqual(results, calls);
    });
  }
});

describe('Claude Code session through llmux to an Anthropic upstream', () => {
  let anthropic: FakeAnthropicServer;
  let gateway: TestGateway;
  before(async () => {
    anthropic = await FakeAnthropicServer.start();
    anthropic.models(['claude-sonnet-4-6', 'claude-haiku-4-5-20251001']);
    gateway = await startTestGateway({ providers: [anthropic.providerConfig('anthropic', { betas: ['context-1m-2025-08-07'] })], keys: [{ key: CLIENT_KEY, name: 'claude-code' }] });
  });
  after(async () => {
    await gateway.close();
    await anthropic.close();
  });

  test('the quota probe and the token count are the upstream\'s own', async () => {
    const probe = step('quota-probe');
    anthropic.queue(probe.anthropic as FakeAnthropicAnswer);
    const first = await replay(gateway, probe);
    assert.equal(first.status, 200);
    expectBytes('anthropic', probe.name, first.text);
    const count = step('count-tokens');
    const counted = await replay(gateway, count);
    assert.equal(counted.status, 200);
    assert.equal(counted.headers.get('x-llmux-token-count'), 'upstream');
    expectBytes('anthropic', count.name, counted.text);
    const sent = anthropic.calls('/v1/messages/count_tokens').at(-1);
    assert.deepEqual((sent?.json as { system: unknown }).system, count.body.system);
    assert.match(String(sent?.headers['anthropic-beta']), /token-counting-2024-11-01/);
  });

  for (const name of ['turn-1-read', 'turn-2-bash', 'turn-3-answer']) {
    test(`${name}: the upstream gets the request as Claude Code sent it, the client the upstream's stream`, async () => {
      const entry = step(name);
      anthropic.queue(entry.anthropic as FakeAnthropicAnswer);
      const { status, text, headers } = await replay(gateway, entry);
      assert.equal(status, 200, text);
      assert.equal(headers.get('x-llmux-degraded'), null);
      expectBytes('anthropic', name, text);
      checkSequence(text);
      const call = anthropic.calls('/v1/messages').at(-1);
      assert.ok(call !== undefined);
      assert.equal(call.headers['x-api-key'], FAKE_ANTHROPIC_KEY);
      assert.equal(call.headers.authorization, undefined);
      assert.equal(call.headers['anthropic-beta'], `context-1m-2025-08-07,${entry.headers['anthropic-beta']}`);
      const sent = call.json as Record<string, unknown>;
      // Everything the Messages API defines arrives as the client sent it: system blocks with
      // their cache_control, tools, thinking with signatures, tool results, metadata.
      for (const field of ['model', 'system', 'tools', 'metadata', 'max_tokens', 'thinking', 'temperature', 'stream']) assert.deepEqual(sent[field], entry.body[field], field);
      assert.deepEqual(sent.messages, asCanonicalCarriesThem(entry.body.messages));
    });
  }

  test('prompt caching works through llmux: the second turn reads what the first wrote', async () => {
    const starts = anthropic
      .messageRequests()
      .map((_, index) => index)
      .slice(-3);
    assert.equal(starts.length, 3);
    const events = checkSequence(readFileSync(new URL('expected/anthropic/turn-2-bash.txt', DIRECTORY), 'utf8'));
    const usage = (events[0]?.message as { usage: Record<string, number> }).usage;
    assert.ok((usage.cache_read_input_tokens ?? 0) > 0);
  });
});
