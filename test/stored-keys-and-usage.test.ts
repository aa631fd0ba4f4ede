import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { CliContext } from '../src/cli/cli-context.ts';
import { runCli } from '../src/cli/run-cli.ts';
import { openSqliteStateStore } from '../src/state/sqlite/open-sqlite-state-store.ts';
import type { StateStore } from '../src/state/state-store.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/** `llmux ARGS` in process, against the test's config; its stdout and stderr. */
async function llmux(directory: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = { environment: {}, cwd: directory, print: (line) => (stdout += `${line}\n`), notice: (line) => (stderr += `${line}\n`) };
  const code = await runCli([...args, '--config', join(directory, 'llmux.yaml')], context);
  return { code, stdout, stderr };
}

/** Waits until `check` holds: the server picks key changes up on its own, within a second. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('stored keys, usage records, prices and budgets', () => {
  const directory = mkdtempSync(join(tmpdir(), 'llmux-usage-'));
  let state: StateStore;
  let gateway: TestGateway;
  // The provider publishes its price in its model list: $1 input, $0.5 cached, $2 output per million.
  const provider = new ScriptedProvider('fake', [{ id: 'm', price: { input: 1, cachedInput: 0.5, output: 2 } }]);
  provider.script = textScript('hello', { input: { total: 1000 }, output: { total: 500 } });

  before(async () => {
    writeFileSync(join(directory, 'llmux.yaml'), `state: { sqlite: ./data/llmux.db }\nkeys: [{ key: sk-config, name: carol }]\n`);
    state = await openSqliteStateStore(join(directory, 'data', 'llmux.db'));
    gateway = await startTestGateway({ keys: [{ key: 'sk-config', name: 'carol' }] }, { adapters: [provider], state });
    // As `llmux serve` does at start: the model lists (and the prices in them) are read.
    await gateway.gateway.services.router.list();
  });
  after(async () => {
    await gateway.close();
    await state.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const chat = (apiKey: string) =>
    new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey, maxRetries: 0 }).chat.completions.create({ model: 'fake/m', messages: [{ role: 'user', content: 'hi' }] });
  const status = async (apiKey: string): Promise<number> => chat(apiKey).then(() => 200, (error: unknown) => (error instanceof OpenAI.APIError ? (error.status ?? 0) : 0));

  it('creates a key from the CLI that a running server accepts, records its requests, and prices them', async () => {
    const created = await llmux(directory, 'keys', 'create', '--name', 'alice', '--models', 'fake/m', '--budget', '1/day');
    assert.equal(created.code, 0, created.stderr);
    const secret = created.stdout.trim();
    assert.match(secret, /^llmux-[A-Za-z0-9_-]{32}$/);
    assert.match(created.stderr, /created key 'alice' \(models: fake\/m; rpm: no limit; tpm: no limit; budget: \$1\/day\); it is shown only this once/);
    const stored = await state.keys.get('alice');
    assert.ok(stored !== undefined && !stored.hash.includes(secret) && stored.hash.length === 64, 'only a keyed hash is stored');

    await eventually(async () => (await status(secret)) === 200);
    assert.equal(await status('sk-config'), 200, 'config keys keep working beside stored ones');
    const stream = await new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: secret, maxRetries: 0 }).chat.completions.create({ model: 'fake/m', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const chunk of stream) void chunk;

    await gateway.gateway.services.usage?.flush();
    const records = (await state.usage.recent(10)).filter((record) => record.keyName === 'alice');
    assert.equal(records.length, 2);
    for (const record of records) {
      assert.equal(record.requestedModel, 'fake/m');
      assert.equal(record.provider, 'fake');
      assert.equal(record.upstreamModel, 'm');
      assert.equal(record.inputTokens, 1000);
      assert.equal(record.outputTokens, 500);
      assert.equal(record.status, 200);
      // 1000 × $1/M + 500 × $2/M
      assert.equal(record.costUsd, 0.002);
    }
    assert.deepEqual(records.map((record) => record.streamed).sort(), [false, true]);

    const usage = await llmux(directory, 'usage', '--by', 'key', '--since', '1d');
    assert.equal(usage.code, 0, usage.stderr);
    const lines = usage.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^KEY +REQUESTS +ERRORS +INPUT +CACHED +OUTPUT +REASONING +COST$/);
    assert.match(usage.stdout, /\nalice +2 +0 +2,000 +0 +1,000 +0 +\$0\.0040\n/);
    assert.match(usage.stdout, /\ncarol +1 +0 +1,000 +0 +500 +0 +\$0\.0020\n/);
    // Requests refused before the server knew the new key are recorded too, under no key.
    const refused = /\n\(none\) +(\d+) +(\d+) +(\S+)/.exec(usage.stdout);
    if (refused !== null) assert.deepEqual([refused[2], refused[3]], [refused[1], '0'], usage.stdout);
    assert.match(usage.stdout, /\ntotal +\d+ +\d+ +3,000 +0 +1,500 +0 +\$0\.0060\n$/);
  });

  it("refuses a key over its budget with a 429 each protocol's clients understand, and no upstream call", async () => {
    const secret = (await llmux(directory, 'keys', 'create', '--name', 'dave', '--budget', '0.001/month')).stdout.trim();
    await eventually(async () => (await status(secret)) === 200);
    const calls = provider.requests.length;
    await assert.rejects(chat(secret), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 429);
      assert.equal(error.code, 'insufficient_quota');
      assert.equal(error.type, 'insufficient_quota');
      assert.match(error.message, /^429 budget of \$0\.001\/month for key 'dave' is used up \(\$0\.002 spent\); it renews at \d{4}-\d{2}-01T00:00:00\.000Z$/);
      assert.equal(error.headers?.get('x-should-retry'), 'false');
      return true;
    });
    const ollama = new Ollama({ host: gateway.baseUrl, headers: { authorization: `Bearer ${secret}` } });
    await assert.rejects(ollama.chat({ model: 'fake/m', messages: [{ role: 'user', content: 'hi' }], stream: false }), (error: unknown) => {
      assert.equal((error as { status_code?: number }).status_code, 429);
      assert.match((error as Error).message, /budget of \$0\.001\/month for key 'dave' is used up/);
      return true;
    });
    assert.equal(provider.requests.length, calls, 'a refused request never reaches the upstream');
    // Raising the budget lets the key in again.
    assert.equal((await llmux(directory, 'keys', 'update', 'dave', '--budget', 'none')).code, 0);
    await eventually(async () => (await status(secret)) === 200);
  });

  it('lists, shows and revokes keys; a revoked key is refused by the running server', async () => {
    const secret = (await llmux(directory, 'keys', 'create', '--name', 'erin', '--rpm', '5')).stdout.trim();
    await eventually(async () => (await status(secret)) === 200);
    const list = await llmux(directory, 'keys', 'list');
    assert.match(list.stdout, /^NAME +PREFIX +STATUS +MODELS +RPM +TPM +BUDGET +CREATED\n/);
    assert.match(list.stdout, new RegExp(`\\nerin +${secret.slice(0, 10)}… +active +all +5 +- +- +\\d{4}-`));
    assert.doesNotMatch(list.stdout, new RegExp(secret.slice(10)));
    assert.equal((await llmux(directory, 'keys', 'revoke', 'erin')).code, 0);
    await eventually(async () => (await status(secret)) === 401);
    assert.match((await llmux(directory, 'keys', 'show', 'erin')).stdout, /\nerin +\S+ +revoked /);
    const unknown = await llmux(directory, 'keys', 'show', 'nobody');
    assert.deepEqual([unknown.code, unknown.stderr], [1, "llmux: no stored key named 'nobody'\n"]);
    const taken = await llmux(directory, 'keys', 'create', '--name', 'carol');
    assert.deepEqual([taken.code, taken.stderr], [1, "llmux: a key named 'carol' is in the config already; choose another name\n"]);
    const bad = await llmux(directory, 'keys', 'create', '--name', 'frank', '--budget', 'lots');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^llmux: --budget: expected '<dollars>\/day' or '<dollars>\/month', like 25\/month\n$/);
  });
});
