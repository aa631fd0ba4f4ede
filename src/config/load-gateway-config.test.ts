import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from './config-error.ts';
import type { Environment } from './config-from-environment.ts';
import { loadGatewayConfig, type LoadGatewayConfigOptions } from './load-gateway-config.ts';

let directory: string;
let counter = 0;

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'llmux-config-'));
});
after(() => rm(directory, { recursive: true, force: true }));

/** Writes `text` to a fresh file and returns its path. */
async function configFile(text: string): Promise<string> {
  const path = join(directory, `config-${++counter}.yaml`);
  await writeFile(path, text);
  return path;
}

async function load(text: string, environment: Environment = {}, options: Partial<LoadGatewayConfigOptions> = {}) {
  return loadGatewayConfig({ configPath: await configFile(text), environment, cwd: directory, ...options });
}

async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('loadGatewayConfig: where the config comes from', () => {
  it('uses the environment alone when there is no file', async () => {
    const empty = await mkdtemp(join(directory, 'empty-'));
    const loaded = await loadGatewayConfig({ environment: { CEREBRAS_API_KEY: 'csk-1', OLLAMA_ORIGINS: 'app://x' }, cwd: empty });
    assert.deepEqual(loaded.source, { kind: 'environment' });
    assert.deepEqual(loaded.config.providers, [{ id: 'cerebras', type: 'cerebras', api_key: 'csk-1' }]);
    assert.deepEqual(loaded.config.listen, { host: '127.0.0.1', port: 11434 });
    assert.equal(loaded.ollamaOrigins, 'app://x');
  });

  it('prefers --config over LLMUX_CONFIG over ./llmux.yaml', async () => {
    const cwd = await mkdtemp(join(directory, 'cwd-'));
    await writeFile(join(cwd, 'llmux.yaml'), 'listen: { port: 1001 }\n');
    const fromEnvironment = await configFile('listen: { port: 1002 }\n');
    const fromFlag = await configFile('listen: { port: 1003 }\n');
    assert.equal((await loadGatewayConfig({ environment: {}, cwd })).config.listen.port, 1001);
    assert.deepEqual((await loadGatewayConfig({ environment: {}, cwd })).source, { kind: 'file', path: join(cwd, 'llmux.yaml') });
    assert.equal((await loadGatewayConfig({ environment: { LLMUX_CONFIG: fromEnvironment }, cwd })).config.listen.port, 1002);
    assert.equal((await loadGatewayConfig({ environment: { LLMUX_CONFIG: fromEnvironment }, cwd, configPath: fromFlag })).config.listen.port, 1003);
  });

  it('ignores provider variables when a file is used, except through ${VAR}', async () => {
    const loaded = await load('providers: []\n', { CEREBRAS_API_KEY: 'csk-1' });
    assert.deepEqual(loaded.config.providers, []);
  });

  it('says so when a named file does not exist', async () => {
    const problems = await problemsOf(loadGatewayConfig({ environment: { LLMUX_CONFIG: join(directory, 'missing.yaml') }, cwd: directory }));
    assert.match(problems[0] ?? '', /does not exist \(from LLMUX_CONFIG\); write one with 'llmux init'/);
  });

  it('treats an empty file as all defaults', async () => {
    const loaded = await load('# nothing yet\n');
    assert.equal(loaded.config.listen.port, 11434);
    assert.deepEqual(loaded.config.providers, []);
  });
});

describe('loadGatewayConfig: problems', () => {
  it('reports every problem at once, each with its path, formatted for humans', async () => {
    const problems = await problemsOf(
      load(`
listen: { port: "eighty" }
providers:
  - { id: cerebras, type: cerebras, api_key: k }
  - { id: poe, type: poo, api_key: k }
  - { id: cerebras, type: cerebras, apikey: k }
models:
  - { name: fast }
log_level: loud
colour: blue
`),
    );
    assert.deepEqual(problems, [
      'listen.port: expected a number, got a string',
      'providers[1].type: expected one of openai-compatible, cerebras, poe, anthropic, gemini, ollama',
      "providers[2]: unknown key 'apikey'",
      "models[0]: give either 'target' or 'targets'",
      'log_level: expected one of fatal, error, warn, info, debug, trace, silent',
      "(top level): unknown key 'colour'",
    ]);
  });

  it('checks what the schema cannot: unique names and references that must name something', async () => {
    const problems = await problemsOf(
      load(`
providers:
  - { id: cerebras, type: cerebras, api_key: k }
  - { id: cerebras, type: poe, api_key: k }
models:
  - { name: fast, target: cerebras/gpt-oss-120b }
  - { name: fast, targets: [cerebras/x, cerebrs/y] }
  - { name: other, target: nope/z }
default_model: qwen
keys:
  - { key: same }
  - { key: same }
`),
    );
    assert.deepEqual(problems, [
      "providers[1].id: 'cerebras' is already used by providers[0]; provider ids must be unique",
      "models[1].name: 'fast' is already defined by models[0]",
      "models[1].targets[1]: no provider 'cerebrs' (configured providers: cerebras)",
      "models[2].target: no provider 'nope' (configured providers: cerebras)",
      "default_model: 'qwen' is not a name under models:; use one of those or '<provider>/<model>'",
      'keys[1].key: the same key as keys[0]; each client needs its own key',
    ]);
  });

  it('accepts a default_model that is an alias or <provider>/<model>, and refuses an unknown provider', async () => {
    const base = 'providers: [{ id: c, type: cerebras, api_key: k }]\nmodels: [{ name: fast, target: c/m }]\n';
    assert.equal((await load(`${base}default_model: fast\n`)).config.default_model, 'fast');
    assert.equal((await load(`${base}default_model: c/other\n`)).config.default_model, 'c/other');
    assert.deepEqual(await problemsOf(load(`${base}default_model: x/other\n`)), ["default_model: no provider 'x' (configured providers: c)"]);
  });

  it('gives YAML syntax errors a line and column, without quoting the source', async () => {
    const problems = await problemsOf(load('providers:\n  - id: a\n    api_key: "sk-secret-value\n'));
    assert.equal(problems.length > 0, true);
    for (const problem of problems) {
      assert.match(problem, /^line \d+, column \d+: /);
      assert.doesNotMatch(problem, /sk-secret-value/);
    }
  });

  it('refuses a file that is not a mapping', async () => {
    assert.deepEqual(await problemsOf(load('- a\n- b\n')), ['(top level): expected a mapping of settings (listen:, providers:, models:, …)']);
  });

  it('never prints a value, which may be a secret in the wrong place', async () => {
    const error = await load('listen: { port: sk-secret-1 }\nproviders: [{ id: a, type: sk-secret-2, base_url: sk-secret-3 }]\n').then(
      () => assert.fail('expected a ConfigError'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof ConfigError);
    assert.doesNotMatch(error.message, /sk-secret/);
    assert.match(error.message, /^invalid config \(.*config-\d+\.yaml\), 3 problems:\n  - listen\.port: /);
  });
});

describe('loadGatewayConfig: ${VAR} interpolation', () => {
  it('expands variables and defaults, and types a lone plain reference as YAML would', async () => {
    const loaded = await load(
      `
listen:
  host: "\${HOST_X:-127.0.0.1}"
  port: \${PORT_X}
allow_open: \${OPEN_X:-false}
providers:
  - id: c
    type: cerebras
    api_key: \${KEY_X}
    base_url: https://\${DOMAIN_X}/v1
    headers: { x-tag: "\${PORT_X}" }
`,
      { PORT_X: '8080', KEY_X: 'csk-123', DOMAIN_X: 'example.com' },
    );
    assert.deepEqual(loaded.config.listen, { host: '127.0.0.1', port: 8080 });
    assert.equal(loaded.config.allow_open, false);
    assert.deepEqual(loaded.config.providers[0], { id: 'c', type: 'cerebras', api_key: 'csk-123', base_url: 'https://example.com/v1', headers: { 'x-tag': '8080' } });
  });

  it('keeps a quoted reference a string', async () => {
    assert.deepEqual(await problemsOf(load('listen: { port: "${PORT_X}" }\n', { PORT_X: '8080' })), ['listen.port: expected a number, got a string']);
  });

  it('reports an unset variable with its path and name', async () => {
    assert.deepEqual(await problemsOf(load('providers: [{ id: c, type: cerebras, base_url: "${CEREBRAS_URL}" }]\n')), [
      'providers[0].base_url: environment variable CEREBRAS_URL is not set (set it, or write ${CEREBRAS_URL:-default})',
    ]);
  });

  it('reports malformed references', async () => {
    assert.deepEqual(await problemsOf(load('default_model: "${oops"\n')), ["default_model: '${' is not closed with '}'"]);
  });

  it('skips, with a warning, a provider whose only problem is an unset key variable', async () => {
    const loaded = await load(
      `
providers:
  - { id: cerebras, type: cerebras, api_key: "\${CEREBRAS_API_KEY}" }
  - { id: poe, type: poe, api_key: "\${POE_API_KEY}" }
models:
  - { name: both, targets: [poe/GPT-4o, cerebras/gpt-oss-120b] }
default_model: both
`,
      { CEREBRAS_API_KEY: 'csk-1' },
    );
    assert.deepEqual(loaded.config.providers.map((provider) => provider.id), ['cerebras']);
    assert.deepEqual(loaded.skippedProviders, [{ id: 'poe', type: 'poe', reason: 'POE_API_KEY is not set' }]);
    assert.deepEqual(loaded.warnings, ["provider 'poe' is skipped: POE_API_KEY is not set (providers[1].api_key)"]);
    assert.equal(loaded.config.default_model, 'both');
  });

  it('drops only the unset entries of api_keys when others remain', async () => {
    const loaded = await load('providers: [{ id: p, type: poe, api_keys: ["${KEY_1}", "${KEY_2}", "${KEY_3}"] }]\n', { KEY_1: 'a', KEY_3: 'c' });
    assert.deepEqual(loaded.config.providers[0]?.api_keys, ['a', 'c']);
    assert.deepEqual(loaded.warnings, ["provider 'p': KEY_2 is not set; running with its other keys"]);
  });

  it('reports an unset key variable as an error when the provider has other problems too', async () => {
    assert.deepEqual(await problemsOf(load('providers: [{ id: p, type: poe, api_key: "${POE_API_KEY}", base_url: "${POE_URL}" }]\n')), [
      'providers[0].base_url: environment variable POE_URL is not set (set it, or write ${POE_URL:-default})',
      'providers[0].api_key: environment variable POE_API_KEY is not set (set it, or write ${POE_API_KEY:-default})',
    ]);
    assert.deepEqual(await problemsOf(load('providers: [{ id: p, type: nope, api_key: "${POE_API_KEY}" }]\n')), [
      'providers[0].type: expected one of openai-compatible, cerebras, poe, anthropic, gemini, ollama',
      'providers[0].api_key: environment variable POE_API_KEY is not set (set it, or write ${POE_API_KEY:-default})',
    ]);
  });
});

describe('loadGatewayConfig: overrides', () => {
  const file = 'listen: { host: 127.0.0.1, port: 1000 }\nlog_level: info\n';

  it('lets PORT and HOST override the file, and --port / --host override both', async () => {
    assert.deepEqual((await load(file)).config.listen, { host: '127.0.0.1', port: 1000 });
    assert.deepEqual((await load(file, { PORT: '2000', HOST: '::1' })).config.listen, { host: '::1', port: 2000 });
    assert.deepEqual((await load(file, { PORT: '2000', HOST: '::1' }, { overrides: { port: 3000, host: 'localhost' } })).config.listen, {
      host: 'localhost',
      port: 3000,
    });
  });

  it('applies PORT, HOST and LLMUX_LOG_LEVEL in env-only mode too', async () => {
    const empty = await mkdtemp(join(directory, 'empty-'));
    const loaded = await loadGatewayConfig({ environment: { PORT: '0', HOST: '127.0.0.2', LLMUX_LOG_LEVEL: 'DEBUG' }, cwd: empty });
    assert.deepEqual(loaded.config.listen, { host: '127.0.0.2', port: 0 });
    assert.equal(loaded.config.log_level, 'debug');
  });

  it('reports malformed override variables by name', async () => {
    assert.deepEqual(await problemsOf(load(file, { PORT: 'http', LLMUX_LOG_LEVEL: 'chatty' })), [
      'PORT: expected a port number 0–65535',
      'LLMUX_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('sets allow_open from --allow-open', async () => {
    assert.equal((await load(file, {}, { overrides: { allowOpen: true } })).config.allow_open, true);
  });

  it("skips a provider pointing at llmux's own address instead of looping", async () => {
    const empty = await mkdtemp(join(directory, 'empty-'));
    const looping = await loadGatewayConfig({ environment: { OLLAMA_BASE_URL: '0.0.0.0', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://localhost:11434/v1' }, cwd: empty });
    assert.deepEqual(looping.config.providers, []);
    assert.deepEqual(looping.skippedProviders.map((provider) => provider.id), ['openai', 'ollama']);
    assert.match(looping.skippedProviders[1]?.reason ?? '', /^its Ollama at http:\/\/0\.0\.0\.0:11434 is llmux's own listen address \(127\.0\.0\.1:11434\), which would loop; run llmux on another port/);
    const elsewhere = await loadGatewayConfig({ environment: { OLLAMA_BASE_URL: '0.0.0.0', PORT: '8080' }, cwd: empty });
    assert.deepEqual(elsewhere.config.providers.map((provider) => provider.id), ['ollama']);
  });

  it("takes OLLAMA_HOST as llmux's listen address, as Ollama does; HOST, PORT, the flags and a file's listen: win", async () => {
    const empty = await mkdtemp(join(directory, 'empty-'));
    const listen = async (environment: Record<string, string>, overrides = {}): Promise<unknown> =>
      (await loadGatewayConfig({ environment, cwd: empty, overrides })).config.listen;
    assert.deepEqual(await listen({ OLLAMA_HOST: '0.0.0.0:11434' }), { host: '0.0.0.0', port: 11434 });
    assert.deepEqual(await listen({ OLLAMA_HOST: '0.0.0.0:8000', HOST: '127.0.0.1' }), { host: '127.0.0.1', port: 8000 });
    assert.deepEqual(await listen({ OLLAMA_HOST: '0.0.0.0:8000', PORT: '9000' }), { host: '0.0.0.0', port: 9000 });
    assert.deepEqual(await listen({ OLLAMA_HOST: '0.0.0.0:8000' }, { host: '::1', port: 1 }), { host: '::1', port: 1 });
    assert.equal((await loadGatewayConfig({ environment: { OLLAMA_HOST: '0.0.0.0' }, cwd: empty })).listenFrom, 'OLLAMA_HOST');
    assert.equal((await loadGatewayConfig({ environment: { OLLAMA_HOST: '0.0.0.0', HOST: '::' }, cwd: empty })).listenFrom, undefined);
    const withListen = join(empty, 'listen.yaml');
    await writeFile(withListen, 'listen: { host: 127.0.0.1, port: 7000 }\n');
    const fromFile = await loadGatewayConfig({ configPath: withListen, environment: { OLLAMA_HOST: '0.0.0.0' }, cwd: empty });
    assert.deepEqual(fromFile.config.listen, { host: '127.0.0.1', port: 7000 });
    assert.deepEqual(fromFile.ignoredVariables, ['OLLAMA_HOST']);
    const withoutListen = join(empty, 'no-listen.yaml');
    await writeFile(withoutListen, 'log_level: warn\n');
    const defaulted = await loadGatewayConfig({ configPath: withoutListen, environment: { OLLAMA_HOST: ':8001' }, cwd: empty });
    assert.deepEqual(defaulted.config.listen, { host: '127.0.0.1', port: 8001 });
    assert.deepEqual(defaulted.ignoredVariables, []);
    await assert.rejects(loadGatewayConfig({ environment: { OLLAMA_HOST: 'ftp://x' }, cwd: empty }), /OLLAMA_HOST: expected host\[:port\]/);
  });

  it("skips an ollama provider with no base_url while llmux listens on Ollama's port: its default is that port", async () => {
    const path = join(directory, 'ollama-default.yaml');
    await writeFile(path, 'providers:\n  - id: local\n    type: ollama\n');
    const same = await loadGatewayConfig({ configPath: path, environment: {}, cwd: directory });
    assert.deepEqual(same.skippedProviders.map((provider) => provider.id), ['local']);
    const moved = await loadGatewayConfig({ configPath: path, environment: { PORT: '8080' }, cwd: directory });
    assert.deepEqual(moved.config.providers.map((provider) => provider.id), ['local']);
  });

  it('names the environment as the origin of env-only problems', async () => {
    const empty = await mkdtemp(join(directory, 'empty-'));
    const error = await loadGatewayConfig({ environment: { POE_API_KEY: 'k', MODEL_MAPPING: 'nope' }, cwd: empty }).catch((thrown: unknown) => thrown);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.origin, 'environment');
    assert.match(error.problems[0] ?? '', /^MODEL_MAPPING: not valid JSON/);
  });
});
