import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { listenOnLoopback } from '../test-support/loopback-server.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
let poe: FakePoeServer;
let cerebras: FakeCerebrasUpstream;

before(async () => {
  directory = await makeTemporaryDirectory();
  poe = await FakePoeServer.start();
  cerebras = await FakeCerebrasUpstream.start();
});
after(async () => {
  await poe.close();
  await cerebras.close();
  await directory.remove();
});

describe('llmux check: keys and model names', () => {
  it('fails a Poe key Poe refuses, though Poe lists its models without one', async () => {
    const config = join(directory.path, 'poe.yaml');
    await writeFile(config, `providers:\n  - { id: poe, type: poe, api_key: wrong-key, base_url: "${poe.openaiBaseUrl}" }\n`);
    const result = await runCliCaptured(['check', '--config', config], { cwd: directory.path });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /\npoe +poe +\S+ +error: [^\n]*Invalid API key/);
    assert.doesNotMatch(result.stdout, /wrong-key/);
    await writeFile(config, `providers:\n  - { id: poe, type: poe, api_key: poe-test-key, base_url: "${poe.openaiBaseUrl}" }\n`);
    const good = await runCliCaptured(['check', '--config', config], { cwd: directory.path });
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /\npoe +poe +\S+ +ok +3 /);
  });

  it('sends a bare MODEL_MAPPING name to the provider that lists it, and names every name no provider lists, with near names', async () => {
    const environment = {
      POE_API_KEY: 'poe-test-key',
      POE_BASE_URL: poe.openaiBaseUrl,
      CEREBRAS_API_KEY: 'csk',
      CEREBRAS_BASE_URL: cerebras.baseUrl,
      MODEL_MAPPING: '{"fast":"llama3.1-8b","vision":"gpt-4o"}',
    };
    const result = await runCliCaptured(['check'], { cwd: directory.path, environment });
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stdout, /\(fast\)/, 'cerebras lists llama3.1-8b');
    assert.match(result.stdout, /\nmodel not found: models\[1\]\.target \(vision\): no provider lists model 'gpt-4o'; did you mean 'GPT-4o'\?\n/);
    assert.match(result.stderr, /\nllmux: 1 model name the config routes to is not listed by its provider\n$/);
    const models = await runCliCaptured(['models', '--json'], { cwd: directory.path, environment });
    const fast = (JSON.parse(models.stdout) as { name: string; provider: string; upstream_model: string }[]).find((model) => model.name === 'fast');
    assert.deepEqual({ provider: fast?.provider, upstream_model: fast?.upstream_model }, { provider: 'cerebras', upstream_model: 'llama3.1-8b' });
    const poeOnly = await runCliCaptured(['check'], { cwd: directory.path, environment: { ...environment, MODEL_MAPPING: '{"mine":"cerebras/llama3.1-8x"}' } });
    assert.match(poeOnly.stdout, /\nmodel not found: models\[0\]\.target \(mine\): provider 'cerebras' does not list model 'llama3\.1-8x'; did you mean 'llama3\.1-8b'\?\n/);
  });

  it('checks CAI_MODEL and default_model too, and passes when every name exists', async () => {
    const environment = { CEREBRAS_API_KEY: 'csk', CEREBRAS_BASE_URL: cerebras.baseUrl, CAI_MODEL: 'gpt-oss-12b' };
    const missing = await runCliCaptured(['check'], { cwd: directory.path, environment });
    assert.match(missing.stdout, /\nmodel not found: default_model: provider 'cerebras' does not list model 'gpt-oss-12b'; did you mean 'gpt-oss-120b'\?\n/);
    const present = await runCliCaptured(['check'], { cwd: directory.path, environment: { ...environment, CAI_MODEL: 'gpt-oss-120b' } });
    assert.equal(present.code, 0, present.stderr);
  });
});

describe('llmux check: a provider that does not answer', () => {
  it('says it timed out, and after how long, instead of "request canceled"', async () => {
    const { createServer } = await import('node:http');
    const held: { end(): void }[] = [];
    const silent = createServer((_request, response) => held.push(response));
    const port = await listenOnLoopback(silent);
    try {
      const environment = { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` };
      const result = await runCliCaptured(['check', '--timeout', '0.3'], { cwd: directory.path, environment });
      assert.equal(result.code, 1);
      assert.match(result.stdout, /\nopenai +openai-compatible +\S+ +error: timed out after 0\.3 s /);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
