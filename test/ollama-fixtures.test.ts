import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { ScriptedProvider } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const OURS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const HEX64 = /^[0-9a-f]{64}$/;

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../test-support/ollama-fixtures/${name}.json`, import.meta.url), 'utf8'));
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function stringFormat(value: string): string {
  if (RFC3339.test(value)) return 'timestamp';
  if (HEX64.test(value)) return 'hex64';
  return 'text';
}

interface ShapeRules {
  /** Paths (`models[].capabilities`) llmux sends that the recording lacks, each for a stated reason. */
  extra?: string[];
  /** Maps whose keys vary by model: only keys both sides have are compared. */
  dynamic?: string[];
}

/**
 * Same keys, same JSON types, same value formats — not the same values. A key the recording has as
 * null is one current Ollama builds omit (omitempty), so it may be absent.
 */
function assertSameShape(ours: unknown, recorded: unknown, rules: ShapeRules, path = ''): void {
  const where = path === '' ? '(root)' : path;
  assert.equal(kind(ours), kind(recorded), `${where}: ${kind(ours)} where Ollama has ${kind(recorded)}`);
  if (typeof recorded === 'string' && typeof ours === 'string') {
    assert.equal(stringFormat(ours), stringFormat(recorded), `${where}: ${JSON.stringify(ours)} is not formatted like ${JSON.stringify(recorded)}`);
    if (stringFormat(recorded) === 'timestamp') assert.match(ours, OURS_TIMESTAMP, `${where}: UTC with 6 fractional digits`);
  } else if (typeof recorded === 'number' && Number.isInteger(recorded)) {
    assert.ok(Number.isInteger(ours), `${where}: ${String(ours)} should be an integer`);
  } else if (Array.isArray(recorded) && Array.isArray(ours)) {
    if (recorded.length === 0) return;
    assert.ok(ours.length > 0, `${where}: empty where Ollama has items`);
    for (const item of ours) assertSameShape(item, recorded[0], rules, `${path}[]`);
  } else if (kind(recorded) === 'object') {
    const ourObject = ours as Record<string, unknown>;
    const recordedObject = recorded as Record<string, unknown>;
    const dynamic = rules.dynamic?.includes(path) ?? false;
    for (const [key, value] of Object.entries(recordedObject)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (!(key in ourObject)) {
        assert.ok(value === null || dynamic, `${keyPath}: missing`);
        continue;
      }
      if (value !== null) assertSameShape(ourObject[key], value, rules, keyPath);
    }
    if (dynamic) return;
    for (const key of Object.keys(ourObject)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      assert.ok(key in recordedObject || (rules.extra ?? []).includes(keyPath), `${keyPath}: not in Ollama's answer`);
    }
  }
}

describe('llmux answers shaped like recorded Ollama answers', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  async function post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(response.status, 200);
    return response.json();
  }

  async function lines(path: string, body: unknown): Promise<Record<string, unknown>[]> {
    const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(body) });
    const text = await response.text();
    return text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async function get(path: string): Promise<unknown> {
    return (await fetch(gateway.baseUrl + path)).json();
  }

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'llama3.2', created: 1_746_405_464 }, { id: 'all-minilm' }]);
    const events: ChatStreamEvent[] = [
      { type: 'text-delta', id: 't', text: 'The' },
      { type: 'tool-call-start', id: 'b0', toolCallId: 'x', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'b0', argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'tool-call-end', id: 'b0' },
      { type: 'finish', finishReason: 'stop', usage: { input: { total: 169 }, output: { total: 15 }, source: 'upstream' } },
    ];
    provider.script = events;
    provider.embeddings = [[0.1, -0.2, 0.3]];
    gateway = await startTestGateway({ models: [{ name: 'mistral', target: 'scripted/mistral-7b' }] }, { adapters: [provider] });
  });
  after(() => gateway.close());

  it('chat chunks: text, tool call and final', async () => {
    const [text, toolCall, final] = await lines('/api/chat', { model: 'llama3.2', messages: [{ role: 'user', content: 'Tokyo?' }] });
    assertSameShape(text, fixture('chat-stream-chunk'), {});
    // Current builds give each tool call an id and a function.index (server/routes.go toolCallId).
    assertSameShape(toolCall, fixture('chat-tool-call-chunk'), { extra: ['message.tool_calls[].id', 'message.tool_calls[].function.index'] });
    assertSameShape(final, fixture('chat-final-chunk'), {});
  });

  it('chat load and generate unload', async () => {
    assertSameShape(await post('/api/chat', { model: 'llama3.2', messages: [] }), fixture('chat-load'), {});
    assertSameShape(await post('/api/generate', { model: 'llama3.2', keep_alive: 0 }), fixture('generate-unload'), {});
  });

  it('generate chunks', async () => {
    provider.script = [
      { type: 'text-delta', id: 't', text: 'The' },
      { type: 'finish', finishReason: 'stop' },
    ];
    const [chunk, final] = await lines('/api/generate', { model: 'llama3.2', prompt: 'Why is the sky blue?' });
    assertSameShape(chunk, fixture('generate-stream-chunk'), {});
    // The code sets done_reason on every final chunk; the docs' example predates it.
    assertSameShape(final, fixture('generate-final-chunk'), { extra: ['done_reason'] });
  });

  it('tags, show, ps and version', async () => {
    // Newer builds add capabilities and details.context_length/embedding_length (api/types.go).
    const newer = ['models[].capabilities', 'models[].details.context_length', 'models[].details.embedding_length'];
    assertSameShape(await get('/api/tags'), fixture('tags'), { extra: newer });
    for (const name of ['llama3.2', 'mistral:latest', 'all-minilm']) {
      const shown = (await post('/api/show', { name })) as { model_info: Record<string, unknown> };
      assertSameShape(shown, fixture('show'), { extra: ['modified_at', 'details.context_length', 'details.embedding_length'], dynamic: ['model_info'] });
      const architecture = shown.model_info['general.architecture'];
      assert.equal(typeof architecture, 'string');
      assert.equal(typeof shown.model_info['general.basename'], 'string');
      assert.ok(Number.isInteger(shown.model_info[`${String(architecture)}.context_length`]));
    }
    await post('/api/chat', { model: 'mistral', messages: [] });
    assertSameShape(await get('/api/ps'), fixture('ps'), { extra: ['models[].context_length', 'models[].details.context_length', 'models[].details.embedding_length'] });
    assertSameShape(await get('/api/version'), fixture('version'), {});
  });

  it('embed, embeddings and pull', async () => {
    assertSameShape(await post('/api/embed', { model: 'all-minilm', input: 'Why is the sky blue?' }), fixture('embed'), {});
    assertSameShape(await post('/api/embeddings', { model: 'all-minilm', prompt: 'Here is an article about llamas...' }), fixture('embeddings'), {});
    assertSameShape(await post('/api/pull', { model: 'llama3.2', stream: false }), fixture('pull-success'), {});
  });

  it('notices a difference in shape', () => {
    assert.throws(() => assertSameShape({ version: 6 }, fixture('version'), {}), /version: number where Ollama has string/);
    assert.throws(() => assertSameShape({ model: 'm', created_at: 1_700_000_000 }, { model: 'm', created_at: '2024-09-12T21:17:29.110811Z' }, {}), /created_at/);
    assert.throws(() => assertSameShape({ created_at: '2024-09-12T21:17:29.1108Z' }, { created_at: '2024-09-12T21:17:29.110811Z' }, {}), /6 fractional digits/);
    assert.throws(() => assertSameShape({ a: 1, b: 2 }, { a: 1 }, {}), /b: not in Ollama's answer/);
    assert.throws(() => assertSameShape({ total_duration: 1.5 }, { total_duration: 2 }, {}), /integer/);
  });
});
