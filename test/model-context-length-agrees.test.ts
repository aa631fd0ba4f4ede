import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

/**
 * One context length per model across `llmux models` and the Ollama routes: known (from the
 * config, the provider or the model's family) everywhere, or unknown everywhere — '-' in the table,
 * and left out of `/api/tags` `details` and `/api/show` `model_info`, as Ollama leaves out what it
 * does not know (api/types.go ModelDetails `omitempty`; server/routes.go GetModelInfo).
 */
describe('context length: llmux models and the Ollama routes agree', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;
  let directory: { path: string; remove(): Promise<void> };
  let configPath: string;
  const provider = () => ({ id: 'local', type: 'openai-compatible' as const, base_url: `${upstream.baseUrl}/v1` });

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    // An unknown house model, a model of a known family, and one the provider gives a length for.
    upstream.json('GET', '/v1/models', 200, {
      object: 'list',
      data: [
        { id: 'house-model-v2', object: 'model', created: 1_700_000_000, owned_by: 'me' },
        { id: 'llama3.1-8b', object: 'model', created: 1_700_000_000, owned_by: 'me' },
        { id: 'long-model', object: 'model', created: 1_700_000_000, owned_by: 'me', context_length: 200_000 },
      ],
    });
    directory = await makeTemporaryDirectory();
    configPath = join(directory.path, 'llmux.yaml');
    await writeFile(configPath, `providers:\n  - { id: local, type: openai-compatible, base_url: "${upstream.baseUrl}/v1" }\n`);
    gateway = await startTestGateway({ providers: [provider()] });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
    await directory.remove();
  });

  it('gives the same answer for each model, and no number where none is known', async () => {
    const cli = await runCliCaptured(['models', '--json', '--config', configPath], { cwd: directory.path });
    assert.equal(cli.code, 0, cli.stderr);
    const listed = JSON.parse(cli.stdout) as { name: string; context_length?: number }[];
    const fromCli = Object.fromEntries(listed.map((model) => [model.name, model.context_length]));

    const tags = (await (await fetch(`${gateway.baseUrl}/api/tags`)).json()) as { models: { name: string; details: { context_length?: number } }[] };
    const fromTags = Object.fromEntries(tags.models.map((model) => [model.name.replace(/:latest$/, ''), model.details.context_length]));

    const fromShow: Record<string, number | undefined> = {};
    for (const name of Object.keys(fromTags)) {
      const shown = (await (await fetch(`${gateway.baseUrl}/api/show`, { method: 'POST', body: JSON.stringify({ model: name }) })).json()) as { model_info: Record<string, unknown>; parameters: string };
      const key = `${String(shown.model_info['general.architecture'])}.context_length`;
      fromShow[name] = shown.model_info[key] as number | undefined;
      if (fromShow[name] === undefined) assert.equal(shown.parameters, '', `${name}: no num_ctx either`);
    }

    assert.deepEqual(fromTags, fromCli);
    assert.deepEqual(fromShow, fromCli);
    assert.deepEqual([fromCli['house-model-v2'], fromCli['llama3.1-8b'], fromCli['long-model']], [undefined, 131072, 200_000]);
  });
});
