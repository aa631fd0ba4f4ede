import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import packageJson from '../package.json' with { type: 'json' };
import { after, before, describe, it } from 'node:test';
import { PROVIDER_TYPES } from '../src/config/gateway-config-schema.ts';
import { SAMPLE_GATEWAY_CONFIG } from '../src/config/sample-gateway-config.ts';
import { PROVIDER_FACTORIES } from '../src/providers/provider-registry.ts';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
before(async () => {
  directory = await makeTemporaryDirectory();
});
after(() => directory.remove());

describe('llmux with an invalid config', () => {
  it('prints every problem with its path, no stack trace and no secret, and exits 1', async () => {
    const config = join(directory.path, 'broken.yaml');
    await writeFile(
      config,
      `providers:
  - id: cerebras
    type: cerebras
    api_key: \${SECRET_KEY}
  - id: poe
    type: poo
    api_key: sk-written-in-the-file
models:
  - name: fast
    target: cerebrs/gpt-oss-120b
listen:
  port: \${PORT_NUMBER}
`,
    );
    const result = await runCliCaptured(['serve', '--config', config], { cwd: directory.path, environment: { SECRET_KEY: 'sk-from-the-environment' } });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `llmux: invalid config (${config}), 2 problems:
  - listen.port: environment variable PORT_NUMBER is not set (set it, or write \${PORT_NUMBER:-default})
  - providers[1].type: expected one of openai-compatible, cerebras, poe, anthropic, gemini, ollama
`,
    );
  });

  it('reports semantic problems once the schema is satisfied', async () => {
    const config = join(directory.path, 'semantic.yaml');
    await writeFile(config, 'providers: [{ id: c, type: cerebras, api_key: k }]\nmodels: [{ name: fast, target: cerebrs/x }]\ndefault_model: slow\n');
    const result = await runCliCaptured(['models', '--config', config], { cwd: directory.path });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /  - models\[0\]\.target: no provider 'cerebrs' \(configured providers: c\)\n  - default_model: 'slow' is not a name under models:/);
  });

  it('reports malformed environment variables by name in env-only mode', async () => {
    const result = await runCliCaptured(['check'], { cwd: directory.path, environment: { POE_API_KEY: 'k', MODEL_MAPPING: '{"gpt-4": 4}', PROXY_TYPE: 'gopher', PROXY_HOST: 'h', PROXY_PASSWORD: 'hunter2' } });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `llmux: invalid config (environment), 2 problems:
  - PROXY_TYPE: expected http or socks (socks5)
  - MODEL_MAPPING["gpt-4"]: expected a non-empty model name as a string
`,
    );
  });

  it('fails clearly when --config names a missing file', async () => {
    const result = await runCliCaptured(['--config', 'nope.yaml'], { cwd: directory.path });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /nope\.yaml\), 1 problem:\n  - the file does not exist \(from --config\); write one with 'llmux init'/);
  });
});

describe('llmux init', () => {
  it('writes the commented sample, refuses to overwrite it, and overwrites with --force', async () => {
    const cwd = join(directory.path, 'init');
    await mkdir(cwd);
    const first = await runCliCaptured(['init'], { cwd });
    assert.equal(first.code, 0);
    assert.match(first.stdout, /^wrote .*llmux\.yaml\n/);
    assert.equal(await readFile(join(cwd, 'llmux.yaml'), 'utf8'), SAMPLE_GATEWAY_CONFIG);

    await writeFile(join(cwd, 'llmux.yaml'), '# mine\n');
    const second = await runCliCaptured(['init'], { cwd });
    assert.equal(second.code, 1);
    assert.match(second.stderr, /^llmux: .*llmux\.yaml already exists; use --force to overwrite it\n$/);
    assert.equal(await readFile(join(cwd, 'llmux.yaml'), 'utf8'), '# mine\n');

    const forced = await runCliCaptured(['init', '--force'], { cwd });
    assert.equal(forced.code, 0);
    assert.equal(await readFile(join(cwd, 'llmux.yaml'), 'utf8'), SAMPLE_GATEWAY_CONFIG);
  });

  it('writes a sample that llmux itself accepts: check finds it valid, names the key variables it needs, and fails for want of any', async () => {
    const cwd = join(directory.path, 'init-check');
    await mkdir(cwd);
    assert.equal((await runCliCaptured(['init'], { cwd })).code, 0);
    const checked = await runCliCaptured(['check'], { cwd });
    assert.match(checked.stdout, /^config ok: .*llmux\.yaml\n/);
    assert.match(checked.stdout, /\ncerebras +cerebras +- +skipped: CEREBRAS_API_KEY is not set +- +-\npoe +poe +- +skipped: POE_API_KEY is not set +- +-\n$/);
    assert.match(checked.stderr, /\nllmux: no provider is available \(see the lines above\); set CEREBRAS_API_KEY or POE_API_KEY, or edit .*llmux\.yaml\n$/);
    assert.equal(checked.code, 1);
  });

  it("checks the sample with only CEREBRAS_API_KEY: Poe's missing key fails nothing, an unreachable Cerebras does", async () => {
    const upstream = await FakeUpstreamServer.start();
    const listed = ['gpt-oss-120b', 'qwen-3-235b-a22b-instruct-2507'].map((id) => ({ id, object: 'model', created: 1, owned_by: 'Cerebras' }));
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: listed });
    try {
      const cwd = join(directory.path, 'init-cerebras');
      await mkdir(cwd);
      assert.equal((await runCliCaptured(['init'], { cwd })).code, 0);
      const moveCerebras = async (baseUrl: string): Promise<void> => {
        const sample = SAMPLE_GATEWAY_CONFIG.replace('# base_url: https://api.cerebras.ai/v1 #', `base_url: ${baseUrl} #`);
        assert.notEqual(sample, SAMPLE_GATEWAY_CONFIG);
        await writeFile(join(cwd, 'llmux.yaml'), sample);
      };
      await moveCerebras(`${upstream.baseUrl}/v1`);
      const answering = await runCliCaptured(['check'], { cwd, environment: { CEREBRAS_API_KEY: 'csk-1' } });
      assert.match(answering.stdout, /\ncerebras +cerebras +http:\/\/127\.0\.0\.1:\d+\/v1 +ok +2 +\d+ ms\npoe +poe +- +skipped: POE_API_KEY is not set +- +-\n$/);
      assert.equal(answering.stderr, "llmux: warning: provider 'poe' is skipped: POE_API_KEY is not set (providers[1].api_key)\n");
      assert.equal(answering.code, 0);

      await moveCerebras(`http://127.0.0.1:${new URL(upstream.baseUrl).port}/v1`);
      await upstream.close();
      const unreachable = await runCliCaptured(['check'], { cwd, environment: { CEREBRAS_API_KEY: 'csk-1' } });
      assert.match(unreachable.stdout, /\ncerebras +cerebras +\S+ +error: .*refused.* +- +\d+ ms\npoe +poe +- +skipped: POE_API_KEY is not set +- +-\n$/);
      assert.match(unreachable.stderr, /\nllmux: 1 of 1 provider failing\n$/);
      assert.equal(unreachable.code, 1);
    } finally {
      await upstream.close();
    }
  });
});

describe('llmux with a word that names no command', () => {
  it('says the command is unknown in one line, suggests a near miss, and exits 1', async () => {
    for (const [word, message] of [
      ['bogus', "llmux: unknown command 'bogus' (run llmux --help)\n"],
      ['modles', "llmux: unknown command 'modles' (did you mean 'models'? run llmux --help)\n"],
      ['chekc', "llmux: unknown command 'chekc' (did you mean 'check'? run llmux --help)\n"],
      ['ini', "llmux: unknown command 'ini' (did you mean 'init'? run llmux --help)\n"],
    ] as const) {
      const result = await runCliCaptured([word], { cwd: directory.path });
      assert.deepEqual(result, { code: 1, stdout: '', stderr: message }, word);
    }
  });

  it('says so after options of the default command too, and after an explicit serve', async () => {
    const afterOptions = await runCliCaptured(['--port', '0', 'bogus'], { cwd: directory.path });
    assert.deepEqual(afterOptions, { code: 1, stdout: '', stderr: "llmux: unknown command 'bogus' (run llmux --help)\n" });
    const afterServe = await runCliCaptured(['serve', 'bogus'], { cwd: directory.path });
    assert.deepEqual(afterServe, { code: 1, stdout: '', stderr: "llmux: serve takes no arguments, got 'bogus' (run llmux serve --help)\n" });
  });
});

describe('llmux --help', () => {
  it('claims only the client APIs and provider types this build has', async () => {
    const result = await runCliCaptured(['--help'], { cwd: directory.path });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /speaks the OpenAI, Ollama and Anthropic APIs/);
    const unbuilt = PROVIDER_TYPES.filter((type) => PROVIDER_FACTORIES[type] === undefined);
    const named = /recognised, but the (.+) provider\s+types? (?:are|is) not built in this version yet/.exec(result.stdout)?.[1];
    assert.equal(named, unbuilt.length > 1 ? `${unbuilt.slice(0, -1).join(', ')} and ${unbuilt.at(-1)}` : unbuilt[0]);
    assert.match(result.stdout, /\n  GEMINI_API_KEY, GOOGLE_API_KEY +enable provider gemini/);
    assert.match(result.stdout, /\n  OLLAMA_BASE_URL +enable provider ollama/);
  });

  it('shares its description with package.json, which names no client API this build lacks', () => {
    assert.equal(packageJson.description, 'One endpoint that speaks the OpenAI, Ollama and Anthropic APIs and serves them from upstream providers: Cerebras, Poe, Anthropic, Gemini, Ollama and any OpenAI-compatible server.');
  });
});

describe('llmux keys and llmux usage', () => {
  it('create a key in ./data/llmux.db under the working directory and print its secret once; usage starts empty', async () => {
    const cwd = join(directory.path, 'keys');
    await mkdir(cwd);
    const created = await runCliCaptured(['keys', 'create', '--name', 'alice', '--budget', '25/month'], { cwd });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^llmux-[A-Za-z0-9_-]{32}\n$/);
    assert.match(created.stderr, /^llmux: created key 'alice' \(models: all; rpm: no limit; tpm: no limit; budget: \$25\/month\); it is shown only this once:\n$/);
    assert.ok((await stat(join(cwd, 'data', 'llmux.db'))).isFile());
    const listed = await runCliCaptured(['keys', 'list', '--json'], { cwd });
    assert.deepEqual((JSON.parse(listed.stdout) as { name: string; budget: string }[]).map((key) => [key.name, key.budget]), [['alice', '$25/month']]);
    const usage = await runCliCaptured(['usage', '--since', '7d'], { cwd });
    assert.equal(usage.code, 0);
    assert.match(usage.stderr, /^llmux: no requests recorded since .* UTC \(.*llmux\.db\)\n$/);
    const wrong = await runCliCaptured(['usage', '--by', 'colour'], { cwd });
    assert.deepEqual([wrong.code, wrong.stderr], [1, 'llmux: --by: expected one of key, model, provider, day\n']);
  });
});

describe('bin/llmux.js', () => {
  it('runs the same command line as src/main.ts', async () => {
    const bin = fileURLToPath(new URL('../bin/llmux.js', import.meta.url));
    const child = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(child.status, 0);
    assert.equal(child.stdout, `${packageJson.version}\n`);
  });
});
