import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { anthropicMessagesEndpoint, ollamaChatEndpoint, openaiChatEndpoint, responsesEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import { BENCH_CLIENT_KEY, FAKE_MODEL } from './fake-upstream.ts';

/** One server the targeted measurements (measure-request-cost, measure-stream-cost) load: an llmux started from a checkout, or the bare proxy. */
export interface Target {
  label: string;
  child: ChildProcess;
  origin: string;
  bare?: boolean;
}

export interface CheckoutOptions {
  /** Folder for the config, database and log. */
  work: string;
  upstreamPort: number;
  /** Usage records and metrics for every checkout; `DIR::::off` turns them off for one. */
  recording: boolean;
  /** Node flags for every checkout (profilers), after the spec's own. */
  profileFlags: (name: string) => string[];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** bench/bare-proxy.ts in front of the upstream: the ceiling. */
export async function startBare(upstreamPort: number, execArgv: readonly string[] = [], fastify = false): Promise<Target> {
  const child = fork(join(import.meta.dirname, 'bare-proxy.ts'), ['--upstream-port', String(upstreamPort), ...(fastify ? ['--fastify'] : [])], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...execArgv] });
  const port = await new Promise<number>((done) => child.once('message', (message) => done((message as { port: number }).port)));
  return { label: fastify ? 'bare-fastify' : 'bare-proxy', child, origin: `http://127.0.0.1:${port}`, bare: true };
}

/**
 * llmux from the TypeScript sources of a checkout, with the bench's config (a cerebras provider at
 * the fake upstream, a client key, the default log level). `rootSpec`: `DIR`, `DIR::--flag,--flag`
 * (Node flags for that one), `DIR::::off` (usage records and metrics off for that one),
 * `DIR::::::NAME=VALUE,…` (environment).
 */
export async function startCheckout(rootSpec: string, index: number, options: CheckoutOptions): Promise<Target> {
  const [root = '.', flagList = '', recordingSpec = '', environmentList = ''] = rootSpec.split('::');
  const environment = Object.fromEntries(environmentList === '' ? [] : environmentList.split(',').map((pair) => pair.split('=') as [string, string]));
  const flags = flagList === '' ? [] : flagList.split(',');
  const name = `llmux-${index}`;
  const config = writeBenchConfig(options.work, name, options.upstreamPort, options.recording && recordingSpec !== 'off');
  const port = await freePort();
  const log = openSync(join(options.work, `${name}.log`), 'w');
  const child = spawn(process.execPath, ['--max-old-space-size=1024', ...flags, ...options.profileFlags(name), join(resolve(root), 'src', 'main.ts'), 'serve', '--config', config, '--port', String(port)], {
    cwd: resolve(root),
    stdio: ['ignore', log, log],
    env: { ...process.env, NODE_ENV: 'production', ...environment },
  });
  closeSync(log);
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 400; attempt += 1) {
    try {
      const answer = await request(`${origin}/health`);
      await answer.body.dump();
      if (answer.statusCode === 200) return { label: rootSpec, child, origin };
    } catch {
      // not yet listening
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${root} did not start; see ${options.work}/${name}.log`);
}

/** The bench's llmux config (a cerebras provider at the fake upstream, a client key, recording on or off) as `<work>/<name>.yaml`; its path. */
export function writeBenchConfig(work: string, name: string, upstreamPort: number, recording: boolean): string {
  const config = join(work, `${name}.yaml`);
  writeFileSync(
    config,
    [
      'providers:',
      '  - id: bench',
      '    type: cerebras',
      '    api_key: bench-not-a-real-key',
      `    base_url: http://127.0.0.1:${upstreamPort}/v1`,
      'models:',
      `  - name: ${FAKE_MODEL}`,
      `    target: bench/${FAKE_MODEL}`,
      `state: { sqlite: ${JSON.stringify(join(work, `${name}.db`))}, usage: ${recording} }`,
      `metrics: ${recording}`,
      'keys:',
      '  - name: bench',
      `    key: ${BENCH_CLIENT_KEY}`,
      '',
    ].join('\n'),
  );
  return config;
}

/** The endpoints to load on a target: the routes named (`openai,ollama,…`), or the OpenAI one alone on the bare proxy. */
export function endpointsOf(target: Target, routes: string, stream: boolean): BenchEndpoint[] {
  const { origin } = target;
  if (target.bare === true) return [openaiChatEndpoint('openai', origin, stream)];
  const all: Record<string, BenchEndpoint> = {
    openai: openaiChatEndpoint('openai', origin, stream),
    ollama: ollamaChatEndpoint('ollama', origin, stream),
    anthropic: anthropicMessagesEndpoint('anthropic', origin, stream),
    responses: responsesEndpoint('responses', origin, stream),
  };
  return routes.split(',').map((route) => {
    const endpoint = all[route];
    if (endpoint === undefined) throw new Error(`unknown route ${route}`);
    return endpoint;
  });
}

/** What a targeted measurement loads: one llmux per root, then the bare proxy and the bare proxy inside Fastify if asked. */
export interface TargetSpec extends CheckoutOptions {
  roots: readonly string[];
  bare: boolean;
  bareFastify: boolean;
  /** Node flags for the bare proxies (profilers, tracing hooks). */
  bareFlags: readonly string[];
}

/**
 * Starts the targets of `spec`, in its order (called again for each round with `--fresh`). A target
 * that fails to start stops those already started before the error is passed on.
 */
export async function startTargets(spec: TargetSpec): Promise<Target[]> {
  const targets: Target[] = [];
  try {
    for (const [index, root] of spec.roots.entries()) targets.push(await startCheckout(root, index, spec));
    if (spec.bare) targets.push(await startBare(spec.upstreamPort, spec.bareFlags));
    if (spec.bareFastify) targets.push(await startBare(spec.upstreamPort, spec.bareFlags, true));
  } catch (error) {
    await stopTargets(targets);
    throw error;
  }
  return targets;
}

/** Stops every target and waits for each to exit. */
export async function stopTargets(targets: readonly Target[]): Promise<void> {
  for (const target of targets) {
    const exited = new Promise((done) => target.child.once('exit', done));
    if (target.bare === true) target.child.disconnect();
    else target.child.kill('SIGTERM');
    await exited;
  }
}
