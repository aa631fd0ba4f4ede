import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { InProcessLlmux } from './in-process-llmux.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
let cerebras: FakeCerebrasUpstream;

before(async () => {
  directory = await makeTemporaryDirectory();
  cerebras = await FakeCerebrasUpstream.start();
});
after(async () => {
  await cerebras.close();
  await directory.remove();
});

describe('a config file and the environment', () => {
  it("after 'llmux init', a Poe-bridge start names the file, lists what it ignores, and keeps CUSTOM_TOKEN as a client key", async () => {
    const checkout = join(directory.path, 'checkout');
    await mkdir(checkout);
    assert.equal((await runCliCaptured(['init'], { cwd: checkout })).code, 0);
    const environment = { SYSTEM_TOKEN: 'poe-key', CUSTOM_TOKEN: 'ctok', CEREBRAS_API_KEY: 'csk', CEREBRAS_BASE_URL: cerebras.baseUrl };
    const llmux = new InProcessLlmux(['--port', '0'], { cwd: checkout, env: environment });
    try {
      const url = await llmux.listening();
      const file = join(checkout, 'llmux.yaml');
      assert.match(llmux.stderr, new RegExp(`llmux listening on ${url} \\(config ${file.replaceAll('.', '\\.')}; providers: cerebras\\)\n`));
      assert.ok(
        llmux.stderr.includes(`llmux: warning: config file ${file} is in use, so these environment variables are ignored: SYSTEM_TOKEN, CEREBRAS_BASE_URL (write them into the file as \${NAME}, or start without the file)\n`),
        llmux.stderr,
      );
      assert.ok(llmux.stderr.includes(`llmux: warning: client keys from CUSTOM_TOKEN are added to the keys of ${file}\n`), llmux.stderr);
      assert.equal((await fetch(`${url}/v1/models`)).status, 401, 'the gateway is not open: CUSTOM_TOKEN is a client key');
      assert.equal((await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer ctok' } })).status, 200);
    } finally {
      await llmux.stop();
    }
  });

  it('a file that names a variable reads it: that variable is not listed as ignored', async () => {
    const config = join(directory.path, 'names-base-url.yaml');
    await writeFile(config, 'providers:\n  - { id: cerebras, type: cerebras, api_key: "${CEREBRAS_API_KEY}", base_url: "${CEREBRAS_BASE_URL}" }\n');
    const result = await runCliCaptured(['models', '--config', config], {
      cwd: directory.path,
      environment: { CEREBRAS_API_KEY: 'csk', CEREBRAS_BASE_URL: cerebras.baseUrl, MODEL_MAPPING: '{"fast":"llama3.1-8b"}' },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, `llmux: warning: config file ${config} is in use, so these environment variables are ignored: MODEL_MAPPING (write them into the file as \${NAME}, or start without the file)\n`);
    assert.match(result.stdout, /llama3\.1-8b/);
  });

  it('LLMUX_API_KEYS add to keys a file has, and a file naming ${CUSTOM_TOKEN} itself gets nothing added', async () => {
    const { loadGatewayConfig } = await import('../src/config/load-gateway-config.ts');
    const withKeys = join(directory.path, 'with-keys.yaml');
    await writeFile(withKeys, 'keys:\n  - { key: file-key, name: alice }\n');
    const loaded = await loadGatewayConfig({ configPath: withKeys, cwd: directory.path, environment: { LLMUX_API_KEYS: 'k1, file-key' } });
    assert.deepEqual(
      loaded.config.keys.map((key) => key.key),
      ['file-key', 'k1'],
    );
    const namesToken = join(directory.path, 'names-token.yaml');
    await writeFile(namesToken, 'keys:\n  - { key: "${CUSTOM_TOKEN}", name: bridge }\n');
    const named = await loadGatewayConfig({ configPath: namesToken, cwd: directory.path, environment: { CUSTOM_TOKEN: 'ctok' } });
    assert.deepEqual(named.config.keys, [{ key: 'ctok', name: 'bridge' }]);
    assert.deepEqual(named.warnings, []);
  });
});
