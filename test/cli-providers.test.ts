import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROVIDER_TYPES } from '../src/config/gateway-config-schema.ts';
import { PROVIDER_FACTORIES } from '../src/providers/provider-registry.ts';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { makeTemporaryDirectory, runLlmux } from './cli-harness.ts';

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

describe('llmux models', () => {
  it("lists aliases and the providers' real models: name, provider, upstream model, context", async () => {
    const config = await writeConfig('models.yaml', goodProvider(), 'models:\n  - name: fast\n    target: local/gpt-oss-120b\n');
    const result = await runLlmux(['models', '--config', config], { cwd: directory.path, env: { LOCAL_KEY: 'sk-local' } });
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      [
        'NAME           PROVIDER  UPSTREAM MODEL  CONTEXT',
        'fast           local     gpt-oss-120b',
        'llama-3.3-70b  local     llama-3.3-70b   131072',
        'gpt-oss-120b   local     gpt-oss-120b',
        '',
      ].join('\n'),
    );
    assert.equal(good.lastCall('/v1/models')?.headers.authorization, 'Bearer sk-local');
  });

  it('prints JSON with --json', async () => {
    const config = await writeConfig('models-json.yaml', goodProvider());
    const result = await runLlmux(['models', '--json', '--config', config], { cwd: directory.path, env: { LOCAL_KEY: 'k' } });
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), [
      { name: 'llama-3.3-70b', provider: 'local', upstream_model: 'llama-3.3-70b', context_length: 131072 },
      { name: 'gpt-oss-120b', provider: 'local', upstream_model: 'gpt-oss-120b' },
    ]);
  });

  it('works in env-only mode: CEREBRAS_API_KEY with a bare CEREBRAS_BASE_URL', async () => {
    const result = await runLlmux(['models'], { cwd: directory.path, env: { CEREBRAS_API_KEY: 'csk-1', CEREBRAS_BASE_URL: good.baseUrl, CAI_MODEL: 'gpt-oss-120b' } });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\ngpt-oss-120b +cerebras +gpt-oss-120b\n/);
    assert.equal(good.lastCall('/v1/models')?.headers.authorization, 'Bearer csk-1');
  });

  it('says which provider listed nothing', async () => {
    const config = await writeConfig('models-refused.yaml', `  - id: refusing\n    type: openai-compatible\n    base_url: ${refusing.baseUrl}/v1\n    api_key: k\n`);
    const result = await runLlmux(['models', '--config', config], { cwd: directory.path });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, "llmux: provider 'refusing' listed no models; run 'npx llmux check' to see why\n");
  });
});

/** A provider type not implemented in this build, if any is left. */
const unavailableType = PROVIDER_TYPES.find((type) => PROVIDER_FACTORIES[type] === undefined);

describe('llmux check', () => {
  it('prints a table of every provider and exits 1 when one fails, never printing a key', async () => {
    const config = await writeConfig(
      'check.yaml',
      goodProvider() +
        `  - id: refusing\n    type: openai-compatible\n    base_url: http://user:hunter2@127.0.0.1:${new URL(refusing.baseUrl).port}/v1\n    api_key: sk-refused-key\n`,
    );
    const result = await runLlmux(['check', '--config', config], { cwd: directory.path, env: { LOCAL_KEY: 'sk-local-key' } });
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

  it('reports a provider type this build does not have as failing', { skip: unavailableType === undefined }, async () => {
    const config = await writeConfig('check-unavailable.yaml', goodProvider() + `  - id: later\n    type: ${unavailableType}\n    api_key: k\n`);
    const result = await runLlmux(['check', '--config', config], { cwd: directory.path, env: { LOCAL_KEY: 'k' } });
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`\\nlater +${unavailableType} +\\(default\\) +error: type '${unavailableType}' is not available in this version of llmux yet +- +-\\n$`));
  });

  it('exits 0 when every provider answers', async () => {
    const config = await writeConfig('check-ok.yaml', goodProvider());
    const result = await runLlmux(['check', '--config', config], { cwd: directory.path, env: { LOCAL_KEY: 'k' } });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\nlocal +openai-compatible +\S+ +ok +2 +\d+ ms\n$/);
  });
});
