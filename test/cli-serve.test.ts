import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROVIDER_TYPES } from '../src/config/gateway-config-schema.ts';
import { PROVIDER_FACTORIES } from '../src/providers/provider-registry.ts';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { listenOnLoopback } from '../test-support/loopback-server.ts';
import { LlmuxProcess, makeTemporaryDirectory } from './cli-harness.ts';
import { InProcessLlmux } from './in-process-llmux.ts';
import { runCliCaptured } from './run-cli-captured.ts';

let directory: { path: string; remove(): Promise<void> };
let occupied: Server;
let occupiedPort: number;

before(async () => {
  directory = await makeTemporaryDirectory();
  occupied = createServer();
  occupiedPort = await listenOnLoopback(occupied);
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
      await llmux.waitForStderr(/llmux: no providers configured; add one with CEREBRAS_API_KEY=… npm start .*'npx llmux init'\n/);
      assert.match(llmux.stderr, /^llmux listening on http:\/\/127\.0\.0\.1:\d+ \(config from the environment; providers: none\)\n/);
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      const models = await fetch(`${url}/v1/models`);
      assert.deepEqual((await models.json()) as unknown, { object: 'list', data: [] });
      llmux.child.kill('SIGINT');
      assert.deepEqual(await llmux.exited, { code: 0, signal: null });
      assert.match(llmux.stderr, /llmux: SIGINT received, finishing in-flight requests \(up to 10000 ms\)\nllmux: stopped\n$/);
    } finally {
      await llmux.stop();
    }
  });

  it('says it is listening at once, while a provider still has not answered its model list', async () => {
    const held: { end(): void }[] = [];
    const silent = createHttpServer((_request, response) => held.push(response));
    const silentPort = await listenOnLoopback(silent);
    let asked: () => void = () => {};
    const modelListAsked = new Promise<void>((resolve) => (asked = resolve));
    silent.on('request', () => asked());
    const llmux = new InProcessLlmux(['--port', '0'], {
      cwd: directory.path,
      env: { CEREBRAS_API_KEY: 'csk', CEREBRAS_BASE_URL: `http://127.0.0.1:${silentPort}/v1`, LLMUX_LOG_LEVEL: 'silent' },
    });
    try {
      await llmux.listening();
      await modelListAsked;
      assert.equal(held.length, 1, 'the model list is still unanswered');
      assert.match(llmux.stderr, /^llmux listening on \S+ \(config from the environment; providers: cerebras\)\n$/);
      // Stopping does not wait for the model list either.
      llmux.signal('SIGTERM');
      assert.deepEqual(await llmux.exited, { code: 0 });
      assert.equal(held.length, 1);
      assert.match(llmux.stderr, /\(config from the environment; providers: cerebras\)\nllmux: SIGTERM received, finishing in-flight requests \(up to 10000 ms\)\nllmux: stopped\n$/);
    } finally {
      await llmux.stop();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("listens where OLLAMA_HOST says, as Ollama would, and says so in the ready line", async () => {
    const llmux = new InProcessLlmux([], { cwd: directory.path, env: { OLLAMA_HOST: '127.0.0.1:0', LLMUX_LOG_LEVEL: 'silent' } });
    try {
      const url = await llmux.listening();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(url, 'http://127.0.0.1:11434');
      assert.match(llmux.stderr, /\(config from the environment, address from OLLAMA_HOST; providers: none\)\n/);
      assert.equal((await fetch(`${url}/health`)).status, 200);
    } finally {
      await llmux.stop();
    }
  });

  it('explains a port in use in one line and exits 1', async () => {
    const result = await runCliCaptured(['serve', '--port', String(occupiedPort)], { cwd: directory.path });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `llmux: port ${occupiedPort} is in use; use --port or PORT\n`);
  });

  it("asks whether Ollama is running when Ollama's port 11434 is taken", async (t) => {
    // Whether this bind succeeds or finds the port already taken, 11434 is in use afterwards:
    // held by this test until it ends, or by another process, which may let go of it meanwhile.
    const ollamaLike = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      ollamaLike.once('error', () => resolve(false));
      ollamaLike.listen(11434, '127.0.0.1', () => resolve(true));
    });
    const llmux = new InProcessLlmux([], { cwd: directory.path });
    try {
      const outcome = await Promise.race([llmux.exited, llmux.listening()]);
      if (typeof outcome === 'string') {
        assert.equal(bound, false, 'llmux listened on 11434 while this test held it');
        t.skip('another process held port 11434 and let go of it while this test ran');
        return;
      }
      assert.equal(outcome.code, 1);
      assert.equal(llmux.stderr, 'llmux: port 11434 is in use (is Ollama running?); use --port or PORT\n');
    } finally {
      await llmux.stop();
      if (bound) await new Promise<void>((resolve) => ollamaLike.close(() => resolve()));
    }
  });

  it('takes the port from the file, PORT over the file, and --port over PORT', async () => {
    const config = join(directory.path, 'occupied.yaml');
    await writeFile(config, `listen:\n  port: ${occupiedPort}\n`);
    const fromFile = await runCliCaptured(['--config', config], { cwd: directory.path });
    assert.equal(fromFile.code, 1);
    assert.match(fromFile.stderr, new RegExp(`port ${occupiedPort} is in use`));

    for (const [args, env] of [
      [['--config', config], { PORT: '0' }],
      [['--config', config, '--port', '0'], { PORT: String(occupiedPort) }],
    ] as const) {
      const llmux = new InProcessLlmux(args, { cwd: directory.path, env });
      try {
        assert.doesNotMatch(await llmux.listening(), new RegExp(`:${occupiedPort}$`));
      } finally {
        await llmux.stop();
      }
    }
  });

  it('refuses a non-loopback listen without client keys, unless --allow-open', async () => {
    const refused = await runCliCaptured(['--host', '0.0.0.0', '--port', '0'], { cwd: directory.path });
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.match(refused.stderr, /^llmux: refusing to listen on 0\.0\.0\.0 with no client keys: .* or pass --allow-open\n$/);
    // 192.0.2.1 (TEST-NET-1) is on no machine: getting as far as the bind proves the refusal lifted.
    for (const [args, env] of [
      [['--host', '192.0.2.1', '--port', '0', '--allow-open'], {}],
      [['--host', '192.0.2.1', '--port', '0'], { LLMUX_API_KEYS: 'k1,k2' }],
    ] as const) {
      const allowed = await runCliCaptured(args, { cwd: directory.path, environment: env });
      assert.equal(allowed.code, 1);
      assert.match(allowed.stderr, /llmux: cannot listen on host '192\.0\.2\.1': no such address on this machine; use --host or HOST\n$/);
    }
  });

  it('serves env-only providers behind the CUSTOM_TOKEN client key, like the Poe bridge, with OLLAMA_ORIGINS', async () => {
    const upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'fake' }] });
    const llmux = new InProcessLlmux(['--port', '0'], {
      cwd: directory.path,
      env: { OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${upstream.baseUrl}/v1`, CUSTOM_TOKEN: 'ctok', LLMUX_LOG_LEVEL: 'silent', OLLAMA_ORIGINS: 'https://my.app' },
    });
    try {
      const url = await llmux.listening();
      await llmux.waitForStderr(/llmux: provider 'openai': 1 model\n/);
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

  it('names in a plain line a provider whose model list could not be fetched, and still serves', async () => {
    const closed = createServer();
    const closedPort = await listenOnLoopback(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const llmux = new InProcessLlmux(['--port', '0'], {
      cwd: directory.path,
      env: { CEREBRAS_API_KEY: 'csk', CEREBRAS_BASE_URL: `http://127.0.0.1:${closedPort}/v1`, LLMUX_LOG_LEVEL: 'silent' },
    });
    try {
      const url = await llmux.listening();
      await llmux.waitForStderr(/model names? routable/);
      assert.match(
        llmux.stderr,
        new RegExp(
          `^llmux listening on \\S+ \\(config from the environment; providers: cerebras\\)\nllmux: could not list the models of provider 'cerebras': [^\n]*127\\.0\\.0\\.1:${closedPort}[^\n]*refused[^\n]*; it is retried on use\nllmux: 0 model names routable \\(npx llmux models lists them\\)\n$`,
        ),
      );
      assert.equal((await fetch(`${url}/health`)).status, 200);
    } finally {
      await llmux.stop();
    }
  });

  const unavailableType = PROVIDER_TYPES.find((type) => PROVIDER_FACTORIES[type] === undefined);
  it('skips a provider type this build does not have, saying so once, and serves the others', { skip: unavailableType === undefined }, async () => {
    const upstream = await FakeUpstreamServer.start();
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'm1', object: 'model' }] });
    const config = join(directory.path, 'unavailable.yaml');
    await writeFile(
      config,
      `providers:\n  - { id: later, type: ${unavailableType}, api_key: k }\n  - { id: local, type: openai-compatible, base_url: "${upstream.baseUrl}/v1" }\n`,
    );
    const llmux = new InProcessLlmux(['--config', config, '--port', '0'], { cwd: directory.path });
    try {
      await llmux.listening();
      await llmux.waitForStderr(/llmux: provider 'local': 1 model\n/);
      assert.match(llmux.stderr, new RegExp(`^llmux: provider 'later' skipped: type '${unavailableType}' is not built in this version yet\n`));
      assert.doesNotMatch(llmux.stderr, /no provider is available/);
      // Said once, on stderr: not again as a JSON log line.
      assert.equal(llmux.stdout.split('\n').filter((line) => line.includes("'later'")).length, 0);
    } finally {
      await llmux.stop();
      await upstream.close();
    }
  });
});
