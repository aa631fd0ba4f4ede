import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

/**
 * `llmux init` with provider keys set writes aliases only for models the providers list now —
 * never a hard-coded id that Cerebras has since retired (qwen-3-235b-a22b-instruct-2507 is
 * deprecated in the fake, as it is at Cerebras).
 */
describe('llmux init with provider keys set', () => {
  let directory: { path: string; remove(): Promise<void> };
  let cerebras: FakeCerebrasUpstream;
  let poe: FakePoeServer;

  before(async () => {
    directory = await makeTemporaryDirectory();
    cerebras = await FakeCerebrasUpstream.start();
    poe = await FakePoeServer.start();
    poe.models.push(
      { id: 'Claude-Sonnet-4', object: 'model', created: 1747958400000, owned_by: 'Anthropic', architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] } },
      { id: 'Claude-Sonnet-4.5', object: 'model', created: 1759104000000, owned_by: 'Anthropic', architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] } },
    );
  });
  after(async () => {
    await cerebras.close();
    await poe.close();
    await directory.remove();
  });

  const env = (): Record<string, string> => ({
    CEREBRAS_API_KEY: 'csk-test-key',
    CEREBRAS_BASE_URL: cerebras.baseUrl,
    POE_API_KEY: 'poe-test-key',
    POE_BASE_URL: poe.openaiBaseUrl,
  });

  it('asks the providers and writes aliases for what exists; the file routes them', async () => {
    const cwd = join(directory.path, 'discovered');
    await mkdir(cwd);
    const init = await runCliCaptured(['init'], { cwd, environment: env() });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /alias fast → cerebras\/gpt-oss-120b\nalias claude → poe\/Claude-Sonnet-4\.5\nalias gpt → poe\/GPT-4o\n/);
    const written = await readFile(join(cwd, 'llmux.yaml'), 'utf8');
    assert.match(written, /^ {2}- name: fast\n {4}target: cerebras\/gpt-oss-120b {2}# listed by cerebras when llmux init ran$/m);
    assert.match(written, /^default_model: fast$/m);
    assert.doesNotMatch(written, /qwen-3-235b/);
    const models = await runCliCaptured(['models'], { cwd, environment: { CEREBRAS_API_KEY: 'csk-test-key', POE_API_KEY: 'poe-test-key' } });
    assert.equal(models.code, 0, models.stderr);
    assert.match(models.stdout, /^fast \(default\) +cerebras +gpt-oss-120b +131072 /m);
    assert.match(models.stdout, /^claude +poe +Claude-Sonnet-4\.5/m);
  });

  it('never picks a deprecated model, and writes the static sample when no provider answers', async () => {
    cerebras.models(['qwen-3-235b-a22b-instruct-2507', 'gemma-4-31b']);
    const cwd = join(directory.path, 'deprecated');
    await mkdir(cwd);
    const init = await runCliCaptured(['init'], { cwd, environment: { CEREBRAS_API_KEY: 'csk-test-key', CEREBRAS_BASE_URL: cerebras.baseUrl } });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /alias fast → cerebras\/gemma-4-31b\n/);

    const offline = join(directory.path, 'offline');
    await mkdir(offline);
    const failed = await runCliCaptured(['init'], { cwd: offline, environment: { CEREBRAS_API_KEY: 'csk-test-key', CEREBRAS_BASE_URL: 'http://127.0.0.1:9/v1' } });
    assert.equal(failed.code, 0);
    assert.match(failed.stderr, /could not list cerebras's models/);
    assert.match(await readFile(join(offline, 'llmux.yaml'), 'utf8'), /^# default_model: fast$/m);
  });
});
