import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { BENCH_CLIENT_KEY, FAKE_MODEL } from './fake-upstream.ts';

export interface LlmuxProcess {
  readonly origin: string;
  readonly pid: number;
  /** The provider type the config used (the first one llmux accepted). */
  readonly providerType: string;
  readonly logFile: string;
  /** Its usage database. */
  readonly databaseFile: string;
  stop(): Promise<void>;
}

export interface StartLlmuxOptions {
  repoRoot: string;
  workDirectory: string;
  upstreamPort: number;
  /** Tried in order: a type llmux does not implement yet makes it refuse to start. */
  providerTypes: readonly string[];
  /** Names its files, when several run side by side. */
  name?: string;
  /** Usage records and metrics on (the default) or off. */
  recording?: boolean;
  /** Node flags before the entry point (`--max-old-space-size=64`), to compare settings. */
  nodeArgs?: readonly string[];
  /** An admin key (BENCH_ADMIN_KEY), for a bench that reads `/metrics`; none by default, as in the measured path. */
  adminKey?: string;
}

/**
 * Starts `node bin/llmux.js serve --config <yaml> --port <free port>` (the compiled build, as
 * `npm start` runs it) as a child process on the same Node, with the default log level (logging is part of the cost being measured) and its
 * output sent to a file. Resolves once `/health` answers 200.
 */
export async function startLlmux(options: StartLlmuxOptions): Promise<LlmuxProcess> {
  const entry = join(options.repoRoot, 'bin', 'llmux.js');
  if (!existsSync(entry)) throw new Error('bin/llmux.js does not exist');
  const failures: string[] = [];
  for (const providerType of options.providerTypes) {
    try {
      return await startWithProviderType(options, entry, providerType);
    } catch (error) {
      failures.push(`${providerType}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`llmux did not start:\n  ${failures.join('\n  ')}`);
}

async function startWithProviderType(options: StartLlmuxOptions, entry: string, providerType: string): Promise<LlmuxProcess> {
  const name = `llmux-${options.name ?? 'main'}-${providerType}`;
  const configFile = join(options.workDirectory, `${name}.yaml`);
  const databaseFile = join(options.workDirectory, `${name}.db`);
  writeFileSync(
    configFile,
    [
      'providers:',
      '  - id: bench',
      `    type: ${providerType}`,
      '    api_key: bench-not-a-real-key',
      `    base_url: http://127.0.0.1:${options.upstreamPort}/v1`,
      'models:',
      `  - name: ${FAKE_MODEL}`,
      `    target: bench/${FAKE_MODEL}`,
      `state: { sqlite: ${JSON.stringify(databaseFile)}, usage: ${options.recording !== false} }`,
      `metrics: ${options.recording !== false}`,
      ...(options.adminKey === undefined ? [] : [`admin_key: ${options.adminKey}`]),
      // A client key, as a deployment beyond loopback has: its check is part of the measured path.
      'keys:',
      '  - name: bench',
      `    key: ${BENCH_CLIENT_KEY}`,
      '',
    ].join('\n'),
  );
  const port = await findFreePort();
  const logFile = join(options.workDirectory, `${name}.log`);
  const logFd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, 'serve', '--config', configFile, '--port', String(port)], {
    cwd: options.repoRoot,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  closeSync(logFd);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, child, 20_000);
  } catch (error) {
    await stopChild(child);
    const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n    ');
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail === '' ? '' : `\n    ${tail}`}`);
  }
  return { origin, pid: child.pid ?? -1, providerType, logFile, databaseFile, stop: () => stopChild(child) };
}

async function waitForHealth(origin: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with code ${child.exitCode ?? child.signalCode}`);
    try {
      const response = await request(`${origin}/health`, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`/health did not answer 200 within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
