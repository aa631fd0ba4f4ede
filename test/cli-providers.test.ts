import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
let good: FakeUpstreamServer;
let refusing: FakeUpstreamServer;

const MODEL_LIST = {
  object: 'list',
  data: [
    { id: 'llama-3.3-70b', object: 'model', created: 1, owned_by: 'fake', context_length: 131072 },
    { id: 'gpt-oss-120b', object: 'model', created: 1, owned_by: 'fake' },
  ],
};

before(async () => {
  directory = await makeTemporaryDirectory();
  good = await FakeUpstreamServer.start();
  good.json('GET', '/v1/models', 200, MODEL_LIST);
  refusing = await FakeUpstreamServer.start();
  refusing.json('GET', '/v1/models', 401, { error: { message: 'Invalid API key', type: 'authentication_error', code: 'invalid_api_key' } });
});
after(async () => {
  await good.close();
  await refusing.close();
  await directory.remove();
});

async function writeConfig(name: string, providers: string, rest = ''): Promise<string> {
  const path = join(directory.path, name);
  await writeFile(path, `providers:\n${providers}${rest}`);
  return path;
}

const goodProvider = (): string => `  - id: local\n    type: openai-compatible\n    base_url: ${good.baseUrl}/v1\n    api_key: \${LOCAL_KEY}\n`;

/** A provider type not implemented in this build, if any is left. */

describe('llmux models', () => {
  it("lists aliases and the providers' real models: name, provider, upstream model, context, capabilities, fallbacks, and the default", async () => {
    const config = await writeConfig('models.yaml', goodProvider(), 'models:\n  - name: fast\n    targets: [local/gpt-oss-120b, local/llama-3.3-70b]\ndefault_model: fast\n');
    const result = await runCliCaptured(['models', '--config', config], { cwd: directory.path, environment: { LOCAL_KEY: 'sk-local' } });
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      [
        'NAME            PROVIDER  UPSTREAM MODEL  CONTEXT  CAPABILITIES               FALLBACKS',
        'fast (default)  local     gpt-oss-120b    131072   completion,tools,thinking  local/llama-3.3-70b',
        'llama-3.3-70b   local     llama-3.3-70b   131072   completion,tools           -',
        'gpt-oss-120b    local     gpt-oss-120b    131072   completion,tools,thinking  -',
        'default_model: fast answers requests for names not listed here',
        '',
      ].join('\n'),
    );
    assert.equal(good.lastCall('/v1/models')?.headers.authorization, 'Bearer sk-local');
  });

  it('prints JSON with --json', async () => {
    const config = await writeConfig('models-json.yaml', goodProvider());
    const result = await runCliCaptured(['models', '--json', '--config', config], { cwd: directory.path, environment: { LOCAL_KEY: 'k' } });
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), [
      { name: 'llama-3.3-70b', provider: 'local', upstream_model: 'llama-3.3-70b', context_length: 131072, capabilities: ['completion', 'tools'] },
      { name: 'gpt-oss-120b', provider: 'local', upstream_model: 'gpt-oss-120b', context_length: 131072, capabilities: ['completion', 'tools', 'thinking'] },
    ]);
  });

  it('works in env-only mode: CEREBRAS_API_KEY with a bare CEREBRAS_BASE_URL', async () => {
    const result = await runCliCaptured(['models'], { cwd: directory.path, environment: { CEREBRAS_API_KEY: 'csk-1', CEREBRAS_BASE_URL: good.baseUrl, CAI_MODEL: 'gpt-oss-120b' } });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\ngpt-oss-120b +cerebras +gpt-oss-120b +131072 /);
    assert.match(result.stdout, /\ndefault_model: cerebras\/gpt-oss-120b \(cerebras\/gpt-oss-120b\) answers requests for names not listed here\n$/);
    assert.equal(good.lastCall('/v1/models')?.headers.authorization, 'Bearer csk-1');
  });

  it('exits 0 with a hint when no provider is available', async () => {
    const result = await runCliCaptured(['models'], { cwd: directory.path });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^llmux: no providers configured; add one with /);
  });

  it('says which provider listed nothing', async () => {
    const config = await writeConfig('models-refused.yaml', `  - id: refusing\n    type: openai-compatible\n    base_url: ${refusing.baseUrl}/v1\n    api_key: k\n`);
    const result = await runCliCaptured(['models', '--config', config], { cwd: directory.path });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, "llmux: provider 'refusing' listed no models; run 'npx llmux check' to see why\n");
  });
});

describe('llmux check', () => {
  it('prints a table of every provider and exits 1 when one fails, never printing a key', async () => {
    const config = await writeConfig(
      'check.yaml',
      goodProvider() +
        `  - id: refusing\n    type: openai-compatible\n    base_url: http://user:hunter2@127.0.0.1:${new URL(refusing.baseUrl).port}/v1\n    api_key: sk-refused-key\n`,
    );
    const result = await runCliCaptured(['check', '--config', config], { cwd: directory.path, environment: { LOCAL_KEY: 'sk-local-key' } });
    assert.equal(result.code, 1);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], `config ok: ${config}`);
    assert.match(lines[1] ?? '', /^PROVIDER +TYPE +BASE URL +STATUS +MODELS +LATENCY$/);
    assert.match(lines[2] ?? '', new RegExp(`^local +openai-compatible +${good.baseUrl}/v1 +ok +2 +\\d+ ms$`));
    assert.match(lines[3] ?? '', new RegExp(`^refusing +openai-compatible +${refusing.baseUrl}/v1 +error: .*Invalid API key.* +- +\\d+ ms$`));
    assert.equal(lines[4], '');
    assert.equal(result.stderr, 'llmux: 1 of 2 providers failing\n');
    assert.doesNotMatch(result.stdout + result.stderr, /sk-local-key|sk-refused-key|hunter2/);
  });

  it('shows a provider whose key variable is unset as skipped, without failing the check', async () => {
    const config = await writeConfig('check-unset.yaml', goodProvider() + '  - id: spare\n    type: cerebras\n    api_key: ${SPARE_KEY}\n');
    const result = await runCliCaptured(['check', '--config', config], { cwd: directory.path, environment: { LOCAL_KEY: 'k' } });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\nlocal +openai-compatible +\S+ +ok +2 +\d+ ms\nspare +cerebras +- +skipped: SPARE_KEY is not set +- +-\n$/);
    assert.equal(result.stderr, "llmux: warning: provider 'spare' is skipped: SPARE_KEY is not set (providers[1].api_key)\n");
  });

  it('fails, saying so, when no provider at all is usable', async () => {
    const skippedOnly = await writeConfig('check-none-usable.yaml', '  - id: spare\n    type: cerebras\n    api_key: ${SPARE_KEY}\n');
    const skipped = await runCliCaptured(['check', '--config', skippedOnly], { cwd: directory.path });
    assert.equal(skipped.code, 1);
    assert.match(skipped.stdout, /\nspare +cerebras +- +skipped: SPARE_KEY is not set +- +-\n$/);
    assert.match(skipped.stderr, new RegExp(`\\nllmux: no provider is available \\(see the lines above\\); set SPARE_KEY, or edit ${skippedOnly.replaceAll('.', '\\.')}\\n$`));

    const nothing = await runCliCaptured(['check'], { cwd: directory.path });
    assert.equal(nothing.code, 1);
    assert.equal(nothing.stdout, 'config ok: from the environment (no config file)\n');
    assert.match(nothing.stderr, /^llmux: no providers configured; add one with CEREBRAS_API_KEY=… npm start/);
  });

  it('exits 0 when every provider answers', async () => {
    const config = await writeConfig('check-ok.yaml', goodProvider());
    const result = await runCliCaptured(['check', '--config', config], { cwd: directory.path, environment: { LOCAL_KEY: 'k' } });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\nlocal +openai-compatible +\S+ +ok +2 +\d+ ms\n$/);
  });
});
