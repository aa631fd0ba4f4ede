import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

/**
 * Model facts from Cerebras's own model entries (`GET /v1/models/{id}`, the SDK's `PublicModel`):
 * gemma-4-31b is in no built-in family table, so only Cerebras can say its context (65536),
 * capabilities (tools, vision) and prices; qwen-3-235b-a22b-instruct-2507 is marked deprecated.
 */
describe('Cerebras model facts', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;
  let directory: { path: string; remove(): Promise<void> };

  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()] });
    directory = await makeTemporaryDirectory();
  });
  after(async () => {
    await gateway.close();
    await cerebras.close();
    await directory.remove();
  });

  it('/api/show and /v1/models give the context length and capabilities Cerebras lists', async () => {
    const show = await fetch(`${gateway.baseUrl}/api/show`, { method: 'POST', body: JSON.stringify({ model: 'gemma-4-31b' }) });
    assert.equal(show.status, 200);
    const shown = (await show.json()) as { capabilities: string[]; model_info: Record<string, unknown> };
    assert.deepEqual([...shown.capabilities].sort(), ['completion', 'tools', 'vision']);
    assert.ok(Object.entries(shown.model_info).some(([key, value]) => key.endsWith('.context_length') && value === 65536), JSON.stringify(shown.model_info));
    const listed = (await (await fetch(`${gateway.baseUrl}/v1/models`)).json()) as { data: { id: string }[] };
    assert.ok(listed.data.some((model) => model.id === 'gemma-4-31b'));
  });

  it('llmux models shows the context length, llmux check flags the deprecated model and the aliases using it', async () => {
    const config = join(directory.path, 'llmux.yaml');
    await writeFile(
      config,
      `providers:\n  - id: cerebras\n    type: cerebras\n    api_key: csk-test-key\n    base_url: ${cerebras.baseUrl}\nmodels:\n  - name: qwen3\n    target: cerebras/qwen-3-235b-a22b-instruct-2507\n`,
    );
    const models = await runCliCaptured(['models', '--config', config], { cwd: directory.path });
    assert.equal(models.code, 0);
    assert.match(models.stdout, /^gemma-4-31b +cerebras +gemma-4-31b +65536 /m);
    const json = await runCliCaptured(['models', '--json', '--config', config], { cwd: directory.path });
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.deepEqual(listed.find((model) => model.name === 'gemma-4-31b'), {
      name: 'gemma-4-31b',
      provider: 'cerebras',
      upstream_model: 'gemma-4-31b',
      context_length: 65536,
      capabilities: ['completion', 'tools', 'vision'],
      max_output_tokens: 16384,
      price_per_million: { input: 0.4, output: 0.8 },
    });
    assert.equal(listed.find((model) => model.name === 'qwen3')?.deprecated, true);
    const check = await runCliCaptured(['check', '--config', config], { cwd: directory.path });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stderr, /cerebras\/qwen-3-235b-a22b-instruct-2507 is deprecated by its provider and will be retired; used by 'qwen3'/);
    assert.match(check.stderr, /cerebras\/llama3\.1-8b is deprecated by its provider/);
    assert.doesNotMatch(check.stderr, /gpt-oss-120b is deprecated/);
  });
});
