import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeGeminiServer } from '../test-support/fake-gemini-server.ts';
import { FakeOllamaUpstream } from '../test-support/fake-ollama-upstream.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
let gemini: FakeGeminiServer;
let ollama: FakeOllamaUpstream;

before(async () => {
  directory = await makeTemporaryDirectory();
  gemini = await FakeGeminiServer.start({ apiKey: 'g-key', pageSize: 1, models: [{ name: 'gemini-2.5-flash', thinking: true, inputTokenLimit: 1048576 }, { name: 'gemini-2.0-flash', inputTokenLimit: 1000000 }] });
  ollama = await FakeOllamaUpstream.start([{ name: 'qwen3', family: 'qwen3', capabilities: ['completion', 'tools', 'thinking'], contextLength: 40960 }]);
});
after(async () => {
  await gemini.close();
  await ollama.close();
  await directory.remove();
});

describe('llmux models and llmux check with gemini and ollama providers', () => {
  it('lists both from the environment alone: GEMINI_API_KEY and OLLAMA_BASE_URL', async () => {
    const result = await runCliCaptured(['models', '--json'], { cwd: directory.path, environment: { GEMINI_API_KEY: 'g-key', GEMINI_BASE_URL: gemini.baseUrl, OLLAMA_BASE_URL: ollama.baseUrl } });
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const listed = (JSON.parse(result.stdout) as Record<string, unknown>[]).map(({ name, provider, upstream_model, context_length }) => ({ name, provider, upstream_model, context_length }));
    assert.deepEqual(listed, [
      { name: 'gemini-2.5-flash', provider: 'gemini', upstream_model: 'gemini-2.5-flash', context_length: 1048576 },
      { name: 'gemini-2.0-flash', provider: 'gemini', upstream_model: 'gemini-2.0-flash', context_length: 1000000 },
      { name: 'qwen3:latest', provider: 'ollama', upstream_model: 'qwen3:latest', context_length: 40960 },
    ]);
  });

  it('probes both from a config file, and fails on a Gemini key Google refuses', async () => {
    const path = join(directory.path, 'both.yaml');
    await writeFile(
      path,
      `providers:\n  - id: g\n    type: gemini\n    api_key: \${G_KEY}\n    base_url: ${gemini.baseUrl}\n    api_version: v1beta\n  - id: box\n    type: ollama\n    base_url: ${ollama.baseUrl}\n`,
    );
    const ok = await runCliCaptured(['check', '--config', path], { cwd: directory.path, environment: { G_KEY: 'g-key' } });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, new RegExp(`\\ng +gemini +${gemini.baseUrl} +ok +2 +\\d+ ms\\n`));
    assert.match(ok.stdout, new RegExp(`\\nbox +ollama +${ollama.baseUrl} +ok +1 +\\d+ ms\\n`));
    const refused = await runCliCaptured(['check', '--config', path], { cwd: directory.path, environment: { G_KEY: 'wrong' } });
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /\ng +gemini .*error: .*rejected the API key llmux is configured with: API key not valid/);
    assert.doesNotMatch(refused.stdout + refused.stderr, /wrong/);
  });
});
