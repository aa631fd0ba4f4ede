import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool, request } from 'undici';
import { endpointsOf, freePort, writeBenchConfig } from './checkout-target.ts';
import { BENCH_CLIENT_KEY, startFakeUpstream } from './fake-upstream.ts';

/**
 * Instructions per request, counted by valgrind's callgrind: a figure that does not move with the
 * machine's load, for comparing two checkouts (or flags) when CPU time is too noisy to tell a few
 * percent apart. Each target runs under `valgrind --tool=callgrind --instr-atstart=no`; after
 * `--warmup` requests (JIT and heap settled) counting is switched on for `--requests` requests at one
 * connection (`--connections N`: N at once), then off. GC and JIT work the requests cause is counted with them.
 *
 *   node bench/count-instructions.ts --root . --root /tmp/baseline [--bare] [--bare-fastify] [--routes openai,ollama] [--stream [--stream-chunks 20]]
 *
 * `--stream`: streamed requests; the fake upstream sends each whole answer in one write, so every
 * target reads it in one network read and the count is of a stream's fixed cost plus its events'
 * decode and encode in one batch, not of how the chunks happened to be batched.
 *
 * `--root DIR::--flag,--flag::off::NAME=VALUE` as in measure-request-cost (`off`: usage records and metrics off).
 * Slow: about 40× native; 3,000 warm-up requests take about a minute.
 */

const { values } = parseArgs({
  options: {
    root: { type: 'string', multiple: true, default: [] },
    bare: { type: 'boolean', default: false },
    'bare-fastify': { type: 'boolean', default: false },
    routes: { type: 'string', default: 'openai' },
    warmup: { type: 'string', default: '3000' },
    requests: { type: 'string', default: '500' },
    /** Concurrent requests (closed loops). At 50 the count includes what a young collection copies of the requests in flight. */
    connections: { type: 'string', default: '1' },
    stream: { type: 'boolean', default: false },
    /** With --stream: content chunks per streamed answer, all sent in one write (one read for the proxy). */
    'stream-chunks': { type: 'string', default: '20' },
  },
});

interface Counted {
  label: string;
  route: string;
  instructionsPerRequest: number;
}

const work = mkdtempSync(join(tmpdir(), 'llmux-instructions-'));
// A streamed answer arrives in one write: how a flood of separate writes is batched into reads
// depends on timing, and moved the count by 10–15 % between runs.
const fake = await startFakeUpstream({ latencyMs: 0, streamChunks: Number(values['stream-chunks']), chunkDelayMs: 0, wholeStreamInOneWrite: true });

async function waitUntilUp(origin: string, port: number, bare: boolean): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt += 1) {
    try {
      if (bare) {
        await new Promise<void>((done, fail) => connect(port, '127.0.0.1', function (this: Socket) { this.end(); done(); }).once('error', fail));
      } else {
        const answer = await request(`${origin}/health`);
        await answer.body.dump();
      }
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error(`${origin} did not start; logs in ${work}`);
}

async function drive(origin: string, path: string, body: string, count: number): Promise<void> {
  const connections = Number(values.connections);
  const pool = new Pool(origin, { connections });
  let sent = 0;
  const loop = async (): Promise<void> => {
    while (sent < count) {
      sent += 1;
      const answer = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_CLIENT_KEY}` }, body });
      await answer.body.text();
      if (answer.statusCode !== 200) throw new Error(`${path}: HTTP ${answer.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  await pool.close();
}

function totalInstructions(outFile: string): number {
  const text = readFileSync(outFile, 'utf8');
  const match = /^totals:\s+(\d+)/m.exec(text);
  if (match === null) throw new Error(`no totals in ${outFile}`);
  return Number(match[1]);
}

async function count(label: string, args: (port: number) => string[], environment: Record<string, string>, routes: string, bare: boolean): Promise<Counted[]> {
  const port = await freePort();
  const name = label.replace(/\W+/g, '_');
  const outFile = join(work, `${name}.callgrind`);
  const log = openSync(join(work, `${name}.log`), 'w');
  const child = spawn('valgrind', ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${outFile}`, process.execPath, ...args(port)], {
    stdio: ['ignore', log, log],
    env: { ...process.env, NODE_ENV: 'production', ...environment },
  });
  closeSync(log);
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilUp(origin, port, bare);
  const results: Counted[] = [];
  for (const endpoint of endpointsOf({ label, child, origin, bare }, routes, values.stream)) {
    await drive(origin, endpoint.path, endpoint.body, Number(values.warmup));
    spawnSync('callgrind_control', ['--zero', String(child.pid)]);
    spawnSync('callgrind_control', ['-i', 'on', String(child.pid)]);
    await drive(origin, endpoint.path, endpoint.body, Number(values.requests));
    spawnSync('callgrind_control', ['-i', 'off', String(child.pid)]);
    spawnSync('callgrind_control', ['--dump', String(child.pid)]);
    const dumps = readdirSync(work).filter((file) => file.startsWith(`${name}.callgrind`)).sort();
    const latest = dumps.map((file) => join(work, file)).at(-1) ?? outFile;
    results.push({ label, route: endpoint.label, instructionsPerRequest: totalInstructions(latest) / Number(values.requests) });
    if (process.env.KEEP_DUMPS === undefined) for (const file of dumps) rmSync(join(work, file), { force: true });
    else console.error(dumps, latest);
  }
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  return results;
}

const all: Counted[] = [];
try {
  for (const [index, spec] of values.root.entries()) {
    const [root = '.', flagList = '', recordingSpec = '', environmentList = ''] = spec.split('::');
    const flags = flagList === '' ? [] : flagList.split(',');
    const environment = Object.fromEntries(environmentList === '' ? [] : environmentList.split(',').map((pair) => pair.split('=') as [string, string]));
    const config = writeBenchConfig(work, `llmux-${index}`, fake.port, recordingSpec !== 'off');
    const args = (port: number): string[] => ['--max-old-space-size=1024', '--max-semi-space-size=4', ...flags, join(resolve(root), 'src', 'main.ts'), 'serve', '--config', config, '--port', String(port)];
    all.push(...(await count(spec, args, environment, values.routes, false)));
  }
  if (values.bare) {
    const args = (port: number): string[] => [join(import.meta.dirname, 'bare-proxy.ts'), '--upstream-port', String(fake.port), '--port', String(port)];
    all.push(...(await count('bare-proxy', args, {}, 'openai', true)));
  }
  if (values['bare-fastify']) {
    const args = (port: number): string[] => [join(import.meta.dirname, 'bare-proxy.ts'), '--upstream-port', String(fake.port), '--port', String(port), '--fastify'];
    all.push(...(await count('bare-fastify', args, {}, 'openai', true)));
  }
  console.log('target\troute\tinstructions per request');
  for (const row of all) console.log(`${row.label}\t${row.route}\t${Math.round(row.instructionsPerRequest).toLocaleString('en')}`);
} finally {
  await fake.close();
  if (process.env.KEEP_DUMPS === undefined) rmSync(work, { recursive: true, force: true });
}
