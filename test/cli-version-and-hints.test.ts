import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import packageJson from '../package.json' with { type: 'json' };
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
before(async () => {
  directory = await makeTemporaryDirectory();
});
after(() => directory.remove());

describe('llmux version and start-up hints', () => {
  for (const argv of [['--version'], ['-V'], ['-v'], ['version']]) {
    it(`prints the version for ${argv.join(' ')}`, async () => {
      assert.deepEqual(await runCliCaptured(argv, { cwd: directory.path }), { code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
    });
  }

  it('answers npm start --port 8080 (npm took --port) with the command that works', async () => {
    const environment = { npm_lifecycle_event: 'start', npm_config_port: '8080' };
    const result = await runCliCaptured(['8080'], { cwd: directory.path, environment });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'llmux: npm took --port for itself: put -- before llmux\'s flags, as in npm start -- --port 8080\n');
    const allowOpen = await runCliCaptured([], { cwd: directory.path, environment: { npm_lifecycle_event: 'start', npm_config_allow_open: 'true' } });
    assert.equal(allowOpen.stderr, "llmux: npm took --allow-open for itself: put -- before llmux's flags, as in npm start -- --allow-open\n");
  });

  it('a bare unknown word outside npm is still an unknown command', async () => {
    const result = await runCliCaptured(['8080'], { cwd: directory.path, environment: { npm_config_port: '8080' } });
    assert.equal(result.stderr, "llmux: unknown command '8080' (run llmux --help)\n");
  });

  it('with a config file and no providers, the hint points at the file, not at environment variables it would ignore', async () => {
    const config = join(directory.path, 'empty.yaml');
    await writeFile(config, 'log_level: warn\n');
    const result = await runCliCaptured(['models', '--config', config], { cwd: directory.path });
    assert.equal(result.code, 0);
    assert.equal(
      result.stderr,
      `llmux: no providers configured in ${config}; add one under providers: (see 'npx llmux init' for a commented sample), or start without the file to configure llmux from CEREBRAS_API_KEY, POE_API_KEY, …\n`,
    );
  });
});

describe('OLLAMA_HOST', () => {
  it('is the listen address: a non-loopback one without client keys is refused, naming where it came from', async () => {
    const result = await runCliCaptured(['serve'], { cwd: directory.path, environment: { OLLAMA_HOST: '0.0.0.0:0' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^llmux: refusing to listen on 0\.0\.0\.0 \(from OLLAMA_HOST\) with no client keys: /);
  });

  it('HOST wins over it', async () => {
    const result = await runCliCaptured(['serve'], { cwd: directory.path, environment: { OLLAMA_HOST: '127.0.0.1:0', HOST: '0.0.0.0' } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^llmux: refusing to listen on 0\.0\.0\.0 with no client keys: /);
  });
});
