import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
before(async () => {
  directory = await makeTemporaryDirectory();
});
after(() => directory.remove());

async function configFile(name: string, text: string): Promise<string> {
  const path = join(directory.path, name);
  await writeFile(path, text);
  return path;
}

describe('type-specific config mistakes', () => {
  const broken = `providers:
  - { id: local, type: openai-compatible }
  - { id: c, type: cerebras, protocol: bot }
  - { id: p, type: poe, api_key: "", upload_url: "http://127.0.0.1:1/up" }
`;
  const expected = (path: string): string => `llmux: invalid config (${path}), 5 problems:
  - providers[0].base_url: missing; type 'openai-compatible' has no default address (e.g. base_url: http://127.0.0.1:8000/v1)
  - providers[1].api_key: missing; type 'cerebras' needs a key (api_key: \${VARIABLE}, or api_keys: [...])
  - providers[1].protocol: only type 'poe' has a protocol choice (this provider is type 'cerebras')
  - providers[2].api_key: must not be empty
  - providers[2].upload_url: used only by type 'poe' with protocol: bot
`;

  for (const command of ['check', 'serve', 'models']) {
    it(`are each reported with their path by ${command}, with no stack trace`, async () => {
      const path = await configFile(`types-${command}.yaml`, broken);
      const result = await runCliCaptured([command, '--config', path], { cwd: directory.path });
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, expected(path));
    });
  }
});
