import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROVIDER_TYPES } from '../src/config/gateway-config-schema.ts';
import { PROVIDER_FACTORIES } from '../src/providers/provider-registry.ts';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { LlmuxProcess, makeTemporaryDirectory, runLlmux } from './cli-harness.ts';

let directory: { path: string; remove(): Promise<void> };
let occupied: Server;
let occupiedPort: number;

before(async () => {
  directory = await makeTemporaryDirectory();
  occupied = createServer();
  await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
  occupiedPort = (occupied.address() as AddressInfo).port;
});
after(async () => {
  await new Promise<void>((resolve) => occupied.close(() => resolve()));
  await directory.remove();
});

describe('llmux serve', () => {
  it('starts with no provider, answers /health, lists no models, says how to add one, and stops on SIGINT with 0', async () => {
    const llmux = new LlmuxProcess(['--port', '0'], { cwd: directory.path });
    try {
      const url = await llmux.listening();
      assert.match(llmux.stderr, /^llmux: no providers configured; add one with CEREBRAS_API_KEY=… npm start .*'npx llmux init'\n/);
      assert.match(llmux.stderr, /llmux listening on http:\/\/127\.0\.0\.1:\d+ \(providers: none; models: 0\)\n/);
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      const models = await fetch(`${url}/v1/models`);
      assert.deepEqual((await models.json()) as unknown, { object: 'list', data: [] });
      llmux.child.kill('SIGINT');
      assert.deepEqual(await llmux.exited, { code: 0, signal: null });
    } finally {
      await llmux.stop();
    }
  });

  it('explains a port in use in one line and exits 1', async () => {
    const result = await runLlmux(['serve', '--port', String(occupiedPort)], { cwd: directory.path });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `llmux: port ${occupiedPort} is in use; use --port or PORT\n`);
  });

  it("asks whether Ollama is running when Ollama's port 11434 is taken", async () => {
    // Whether this bind succeeds or finds the port already taken, 11434 is in use afterwards.
    const ollamaLike = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      ollamaLike.once('error', () => resolve(false));
      ollamaLike.listen(11434, '127.0.0.1', () => resolve(true));
    });
    try {
      const result = await runLlmux([], { cwd: directory.path });
      assert.equal(result.code, 1);
      assert.equal(result.stderr, 'llmux: port 11434 is in use (is Ollama running?); use --port or PORT\n');
    } finally {
      if (bound) await new Promise<void>((resolve) => ollamaLike.close(() => resolve()));
    }
  });

  it('takes the port from the file, PORT over the file, and --port over PORT', async () => {
    const config = join(directory.path, 'occupied.yaml');
    await writeFile(config, `listen:\n  port: ${occupiedPort}\n`);
    const fromFile = await runLlmux(['--config', config], { cwd: directory.path });
    assert.equal(fromFile.code, 1);
    assert.match(fromFile.stderr, new RegExp(`port ${occupiedPort} is in use`));

    for (const [args, env] of [
      [['--config', config], { PORT: '0' }],
      [['--config', config, '--port', '0'], { PORT: String(occupiedPort) }],
    ] as const) {
      const llmux = new LlmuxProcess(args, { cwd: directory.path, env });
      try {
        assert.doesNotMatch(await llmux.listening(), new RegExp(`:${occupiedPort}$`));
      } finally {
        await llmux.stop();
      }
    }
  });

  it('refuses a non-loopback listen without client keys, unless --allow-open', async () => {
    const refused = await runLlmux(['--host', '0.0.0.0', '--port', '0'], { cwd: directory.path });
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.match(refused.stderr, /^llmux: refusing to listen on 0\.0\.0\.0 with no client keys: .* or pass --allow-open\n$/);
    // 192.0.2.1 (TEST-NET-1) is on no machine: getting as far as the bind proves the refusal lifted.
    for (const [args, env] of [
      [['--host', '192.0.2.1', '--port', '0', '--allow-open'], {}],
      [['--host', '192.0.2.1', '--port', '0'], { LLMUX_API_KEYS: 'k1,k2' }],
    ] as const) {
      const allowed = await runLlmux(args, { cwd: directory.path, env });
      assert.equal(allowed.code, 1);
      assert.match(allowed.stderr, /llmux: cannot listen on host '192\.0\.2\.1': no such address on this machine; use --host or HOST\n$/);
    }
  });

  it('serves env-only providers behind the CUSTOM_TOKEN client key, like the Poe bridge, with OLLAMA_ORIGINS', async () => {
    const upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'fake' }] });
    const llmux = new LlmuxProcess(['--port', '0'], {
      cwd: directory.path,
      env: { OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${upstream.baseUrl}/v1`, CUSTOM_TOKEN: 'ctok', LLMUX_LOG_LEVEL: 'silent', OLLAMA_ORIGINS: 'https://my.app' },
    });
    try {
      const url = await llmux.listening();
      assert.match(llmux.stderr, /\(providers: openai; models: 1\)/);
      assert.equal((await fetch(`${url}/v1/models`)).status, 401);
      assert.equal((await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
      const allowed = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer ctok' } });
      assert.equal(allowed.status, 200);
      const listed = (await allowed.json()) as { data: { id: string }[] };
      assert.deepEqual(
        listed.data.map((model) => model.id),
        ['gpt-4o-mini'],
      );
      assert.equal(upstream.lastCall('/v1/models')?.headers.authorization, 'Bearer sk-upstream');
      assert.equal(llmux.stdout, '');
      const fromApp = await fetch(`${url}/health`, { headers: { origin: 'https://my.app' } });
      assert.equal(fromApp.headers.get('access-control-allow-origin'), 'https://my.app');
      assert.equal((await fetch(`${url}/health`, { headers: { origin: 'https://other.app' } })).status, 403);
    } finally {
      await llmux.stop();
      await upstream.close();
    }
  });

  it('says in plain lines that an env-only provider of a type not built yet is skipped, and asks for nothing already set', async () => {
    const llmux = new LlmuxProcess(['--port', '0'], { cwd: directory.path, env: { GEMINI_API_KEY: 'g-key', LLMUX_LOG_LEVEL: 'silent' } });
    try {
      await llmux.listening();
      assert.equal(
        llmux.stderr.replace(/:\d+ \(/, ':PORT ('),
        "llmux: provider 'gemini' skipped: type 'gemini' is not built in this version yet\n" +
          'llmux: no provider is available (see the lines above); set CEREBRAS_API_KEY, POE_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY instead (this version has the provider types openai-compatible, cerebras, poe, anthropic only)\n' +
          'llmux listening on http://127.0.0.1:PORT (providers: none; models: 0)\n',
      );
    } finally {
      await llmux.stop();
    }
  });

  it('names in a plain line a provider whose model list could not be fetched, and still serves', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const llmux = new LlmuxProcess(['--port', '0'], {
      cwd: directory.path,
      env: { CEREBRAS_API_KEY: 'csk', CEREBRAS_BASE_URL: `http://127.0.0.1:${closedPort}/v1`, LLMUX_LOG_LEVEL: 'silent' },
    });
    try {
      const url = await llmux.listening();
      assert.match(
        llmux.stderr,
        new RegExp(`^llmux: could not list the models of provider 'cerebras': [^\n]*127\\.0\\.0\\.1:${closedPort}[^\n]*refused[^\n]*; it is retried on use\nllmux listening on \\S+ \\(providers: cerebras; models: 0\\)\n$`),
      );
      assert.equal((await fetch(`${url}/health`)).status, 200);
    } finally {
      await llmux.stop();
    }
  });

  const unavailableType = PROVIDER_TYPES.find((type) => PROVIDER_FACTORIES[type] === undefined);
  it('skips a provider type this build does not have, with one log line, and serves the others', { skip: unavailableType === undefined }, async () => {
    const upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'm1', object: 'model' }] });
    const config = join(directory.path, 'unavailable.yaml');
    await writeFile(
      config,
      `providers:\n  - { id: later, type: ${unavailableType}, api_key: k }\n  - { id: local, type: openai-compatible, base_url: "${upstream.baseUrl}/v1" }\n`,
    );
    const llmux = new LlmuxProcess(['--config', config, '--port', '0'], { cwd: directory.path });
    try {
      await llmux.listening();
      assert.match(llmux.stderr, /\(providers: local; models: 1\)/);
      assert.match(llmux.stderr, new RegExp(`^llmux: provider 'later' skipped: type '${unavailableType}' is not built in this version yet\n`));
      assert.doesNotMatch(llmux.stderr, /no provider is available/);
      const warnings = llmux.stdout.split('\n').filter((line) => line.includes('is not available'));
      assert.equal(warnings.length, 1);
      assert.equal((JSON.parse(warnings[0] ?? '') as { msg: string }).msg, `provider 'later' is skipped: type '${unavailableType}' is not available in this version of llmux yet`);
    } finally {
      await llmux.stop();
      await upstream.close();
    }
  });
});
