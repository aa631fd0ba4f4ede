import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { openSqliteStateStore } from '../src/state/sqlite/open-sqlite-state-store.ts';
import type { StateStore } from '../src/state/state-store.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const ADMIN = { authorization: 'Bearer admin-secret' };

describe('admin key, /admin/keys, /admin/usage and /metrics', () => {
  let state: StateStore;
  let gateway: TestGateway;
  const provider = new ScriptedProvider('fake', [{ id: 'm' }]);
  provider.script = textScript('hello', { input: { total: 2_000_000 }, output: { total: 1_000_000 } });

  before(async () => {
    state = await openSqliteStateStore(':memory:');
    gateway = await startTestGateway({ admin_key: 'admin-secret', prices: { 'fake/m': { input: 1, output: 2 } } }, { adapters: [provider], state });
  });
  after(async () => {
    await gateway.close();
    await state.close();
  });

  const admin = (path: string, init: RequestInit = {}) => fetch(`${gateway.baseUrl}${path}`, { ...init, headers: { ...ADMIN, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers } });

  it('refuses the admin routes and /metrics without the admin key, and a client key is not one', async () => {
    for (const path of ['/admin/keys', '/admin/usage', '/metrics']) {
      const response = await fetch(`${gateway.baseUrl}${path}`);
      assert.equal(response.status, 401, path);
    }
    const wrong = await fetch(`${gateway.baseUrl}/admin/keys`, { headers: { authorization: 'Bearer nope' } });
    assert.deepEqual(await wrong.json(), { error: { message: 'invalid admin key', type: 'authentication_error' } });
  });

  it('creates, lists, changes and revokes keys over HTTP; the new key works at once and its use shows in /admin/usage and /metrics', async () => {
    const created = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'bob', rpm: 100, budget: '50/month' }) });
    assert.equal(created.status, 201);
    const { key, secret } = (await created.json()) as { key: Record<string, unknown>; secret: string };
    assert.equal(key.name, 'bob');
    assert.equal(key.budget, '$50/month');
    assert.equal(key.status, 'active');
    await gateway.gateway.services.auth.refreshStoredKeys();

    const openai = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: secret, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'fake/m', messages: [{ role: 'user', content: 'hi' }] });

    const usage = (await (await admin('/admin/usage?by=key&since=1h')).json()) as { rows: Record<string, unknown>[] };
    assert.deepEqual(usage.rows.find((row) => row.group === 'bob'), { group: 'bob', requests: 1, errors: 0, inputTokens: 2_000_000, cachedInputTokens: 0, outputTokens: 1_000_000, reasoningTokens: 0, costUsd: 4, unpriced: 0 });
    const records = (await (await admin('/admin/usage?records=1')).json()) as { records: Record<string, unknown>[] };
    assert.equal(records.records[0]?.keyName, 'bob');
    const shown = (await (await admin('/admin/keys/bob')).json()) as { spent_usd: { day: number; month: number } };
    assert.deepEqual(shown.spent_usd, { day: 4, month: 4 });

    const metrics = await admin('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    assert.match(text, /\nllmux_requests_total\{protocol="openai",route="\/v1\/chat\/completions",model="fake\/m",provider="fake",status="200"\} 1\n/);
    assert.match(text, /\nllmux_tokens_total\{key="bob",model="fake\/m",provider="fake",kind="input"\} 2000000\n/);
    assert.match(text, /\nllmux_tokens_total\{key="bob",model="fake\/m",provider="fake",kind="output"\} 1000000\n/);
    assert.match(text, /\nllmux_cost_usd_total\{key="bob",model="fake\/m",provider="fake"\} 4\n/);
    assert.match(text, /\nllmux_request_duration_seconds_count\{protocol="openai",route="\/v1\/chat\/completions",streamed="false"\} 1\n/);
    assert.match(text, /\nllmux_overhead_seconds_count \d+\n/);
    assert.match(text, /\nllmux_open_streams 0\n/);
    assert.match(text, /\nllmux_usage_queue_depth 0\n/);

    const patched = await admin('/admin/keys/bob', { method: 'PATCH', body: JSON.stringify({ rpm: null, models: ['fake/m'] }) });
    assert.deepEqual(((await patched.json()) as { key: Record<string, unknown> }).key.rpm, null);
    const bad = await admin('/admin/keys/bob', { method: 'PATCH', body: JSON.stringify({ rpm: -1 }) });
    assert.equal(bad.status, 400);
    const list = (await (await admin('/admin/keys')).json()) as { keys: Record<string, unknown>[] };
    assert.deepEqual(list.keys.map((k) => [k.name, k.models]), [['bob', ['fake/m']]]);
    assert.ok(!JSON.stringify(list).includes(secret.slice(10)), 'no secret in lists');

    const revoked = await admin('/admin/keys/bob', { method: 'DELETE' });
    assert.equal(((await revoked.json()) as { key: Record<string, unknown> }).key.status, 'revoked');
    await gateway.gateway.services.auth.refreshStoredKeys();
    await assert.rejects(openai.chat.completions.create({ model: 'fake/m', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 401);
    const missing = await admin('/admin/keys/nobody');
    assert.deepEqual([missing.status, await missing.json()], [404, { error: { message: "no stored key named 'nobody'", type: 'not_found_error' } }]);
  });
});

describe('admin routes with no key configured at all', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway({});
  });
  after(() => gateway.close());

  it('are open on loopback, as the model routes are, and say when there is no state store', async () => {
    assert.equal((await fetch(`${gateway.baseUrl}/metrics`)).status, 200);
    const keys = await fetch(`${gateway.baseUrl}/admin/keys`);
    assert.equal(keys.status, 503);
    assert.match(((await keys.json()) as { error: { message: string } }).error.message, /without a state store/);
  });
});

describe('admin routes with client keys but no admin key', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway({ keys: [{ key: 'sk-a' }] });
  });
  after(() => gateway.close());

  it('are closed, and say how to open them', async () => {
    const response = await fetch(`${gateway.baseUrl}/metrics`, { headers: { authorization: 'Bearer sk-a' } });
    assert.equal(response.status, 403);
    assert.match(await response.text(), /set admin_key \(or LLMUX_ADMIN_KEY\)/);
  });
});

describe('/metrics counts retries, fallbacks and upstream errors from the attempts', () => {
  let gateway: TestGateway;
  const bad = new ScriptedProvider('bad', [{ id: 'm' }]);
  bad.script = new GatewayError('overloaded', 'the upstream is overloaded');
  const good = new ScriptedProvider('good', [{ id: 'm' }]);
  good.script = textScript('hello');

  before(async () => {
    gateway = await startTestGateway({ models: [{ name: 'pair', targets: ['bad/m', 'good/m'] }] }, { adapters: [bad, good] });
  });
  after(() => gateway.close());

  it('one retry on the failing provider, one fallback to the next, two upstream errors', async () => {
    const openai = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'pair', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(bad.requests.length, 2);
    const text = await (await fetch(`${gateway.baseUrl}/metrics`)).text();
    assert.match(text, /\nllmux_retries_total\{provider="bad"\} 1\n/);
    assert.match(text, /\nllmux_fallbacks_total\{from="bad",to="good"\} 1\n/);
    assert.match(text, /\nllmux_upstream_errors_total\{provider="bad",status="502"\} 2\n/);
    assert.match(text, /\nllmux_requests_total\{protocol="openai",route="\/v1\/chat\/completions",model="pair",provider="good",status="200"\} 1\n/);
  });
});
