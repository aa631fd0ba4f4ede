import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FakeCerebrasUpstream, type FakeCerebrasAnswer } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

interface CodexTurn {
  request: { input: { type: string; role?: string; call_id?: string; output?: unknown }[]; tools: { name: string }[]; [field: string]: unknown };
  upstream: FakeCerebrasAnswer & { toolCalls?: { id: string; name: string; arguments: string }[] };
}

interface CodexSession {
  headers: Record<string, string>;
  turns: CodexTurn[];
}

interface StreamEvent {
  type: string;
  sequence_number: number;
  item?: { type: string; name?: string; call_id?: string; arguments?: string; summary?: { text: string }[]; content?: { type: string; text: string }[] };
  response?: { id: string; status: string; usage?: Record<string, unknown> };
  delta?: string;
  summary_index?: number;
}

interface UpstreamBody {
  messages: { role: string; content: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
  [field: string]: unknown;
}

const session = JSON.parse(readFileSync(new URL('../test-support/codex-fixtures/shell-session.json', import.meta.url), 'utf8')) as CodexSession;

/** The SSE events of a body, split the way codex-rs's eventsource parser splits them. */
function parseEvents(body: string): { event: string; data: StreamEvent }[] {
  return body
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6) ?? '{}';
      return { event, data: JSON.parse(data) as StreamEvent };
    });
}

/**
 * A recorded Codex CLI session replayed through llmux to the Cerebras fake: what Codex receives
 * each round (the events codex-rs codex-api/src/sse/responses.rs reads) and what the upstream got.
 */
describe('a recorded Codex session through llmux to Cerebras', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;
  const received: { events: { event: string; data: StreamEvent }[]; upstream: UpstreamBody }[] = [];

  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()] });
    for (const turn of session.turns) {
      cerebras.answer(turn.upstream);
      const response = await fetch(`${gateway.baseUrl}/v1/responses`, {
        method: 'POST',
        headers: { ...session.headers, authorization: 'Bearer codex-key', 'content-type': 'application/json' },
        body: JSON.stringify(turn.request),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      received.push({ events: parseEvents(await response.text()), upstream: cerebras.chatRequests().at(-1) as UpstreamBody });
    }
  });
  after(async () => {
    await gateway.close();
    await cerebras.close();
  });

  it('gives Codex every round as a complete, numbered event stream ending in response.completed with integer usage', () => {
    for (const { events } of received) {
      assert.equal(events[0]?.data.type, 'response.created');
      assert.equal(events.at(-1)?.data.type, 'response.completed');
      for (const [index, { event, data }] of events.entries()) {
        assert.equal(event, data.type, 'the SSE event name is the type');
        assert.equal(data.sequence_number, index);
      }
      const usage = events.at(-1)?.data.response?.usage ?? {};
      for (const field of ['input_tokens', 'output_tokens', 'total_tokens']) assert.ok(Number.isInteger(usage[field]), field);
      assert.ok(Number.isInteger((usage['input_tokens_details'] as { cached_tokens: unknown }).cached_tokens));
      assert.ok(Number.isInteger((usage['output_tokens_details'] as { reasoning_tokens: unknown }).reasoning_tokens));
    }
  });

  it('hands Codex each round\'s items in response.output_item.done: the reasoning summary, then the tool call or the answer', () => {
    session.turns.forEach((turn, round) => {
      const events = received[round]?.events ?? [];
      const items = events.filter(({ data }) => data.type === 'response.output_item.done').map(({ data }) => data.item);
      const expected = turn.upstream.toolCalls?.map((call) => ({ type: 'function_call', name: call.name, call_id: call.id, arguments: call.arguments })) ?? [
        { type: 'message', text: turn.upstream.text },
      ];
      assert.equal(items[0]?.type, 'reasoning');
      assert.deepEqual(items[0]?.summary?.map((part) => part.text), [turn.upstream.reasoning]);
      const rest = items.slice(1).map((item) =>
        item?.type === 'message' ? { type: 'message', text: item.content?.[0]?.text } : { type: item?.type, name: item?.name, call_id: item?.call_id, arguments: item?.arguments },
      );
      assert.deepEqual(rest, expected);
      const summaryDeltas = events.filter(({ data }) => data.type === 'response.reasoning_summary_text.delta');
      assert.ok(summaryDeltas.length > 0 && summaryDeltas.every(({ data }) => data.summary_index === 0));
    });
  });

  it('sends the upstream the whole history as chat: instructions, context, tool calls and their outputs, in order', () => {
    const last = received.at(-1)?.upstream;
    assert.ok(last !== undefined);
    const shape = last.messages.map((message) => (message.role === 'tool' ? `tool:${message.tool_call_id}` : message.tool_calls ? `assistant:${message.tool_calls.map((call) => call.function.name).join(',')}` : message.role));
    assert.deepEqual(shape, ['system', 'developer', 'user', 'user', 'user', 'assistant:shell', 'tool:call_tests1', 'assistant:shell', 'tool:call_read2', 'assistant:apply_patch', 'tool:call_patch3']);
    assert.match(String(last.messages[0]?.content), /^You are Codex/);
    const read = last.messages.find((message) => message.tool_call_id === 'call_read2');
    assert.equal(read?.content, 'Exit code: 0\nWall time: 0.0 seconds\nOutput:\nexport function add(a, b) {\n  return a + b + 1;\n}\n');
    const patchCall = last.messages.find((message) => message.tool_calls?.[0]?.id === 'call_patch3');
    assert.equal(patchCall?.tool_calls?.[0]?.function.arguments, session.turns[2]?.upstream.toolCalls?.[0]?.arguments);
  });

  it('passes the tools, reasoning effort, tool settings and prompt cache key on, and nothing of the gateway-only fields', () => {
    for (const { upstream } of received) {
      assert.deepEqual(upstream.tools?.map((tool) => tool.function.name), ['shell', 'update_plan', 'apply_patch']);
      assert.equal(upstream['reasoning_effort'], 'medium');
      assert.equal(upstream['parallel_tool_calls'], false);
      assert.equal(upstream['tool_choice'], 'auto');
      assert.equal(upstream['stream'], true);
      for (const field of ['store', 'include', 'instructions', 'input', 'reasoning']) assert.equal(upstream[field], undefined, field);
      // Cerebras takes a prompt cache key (its chat API has one): Codex's conversation id goes on.
      assert.equal(upstream['prompt_cache_key'], session.turns[0]?.request['prompt_cache_key']);
    }
  });

  it('stores nothing: Codex sends store: false', async () => {
    const id = received[0]?.events[0]?.data.response?.id;
    const response = await fetch(`${gateway.baseUrl}/v1/responses/${String(id)}`);
    assert.equal(response.status, 404);
  });
});
