import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { openaiChatEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import { endpointsOf, startTargets, stopTargets, type Target, type TargetSpec } from './checkout-target.ts';
import { BENCH_CLIENT_KEY, startFakeUpstream } from './fake-upstream.ts';
import { interquartileRange, median, pairedMedian } from './percentile.ts';
import { processCpuMicros } from './process-cpu.ts';
import { warmRequestsPerPath } from './warm-up.ts';

/**
 * A targeted look at the fixed cost of one non-streamed request: llmux started from the TypeScript
 * sources of one or more checkouts (`--root A --root B` compares them in the same run), each with the
 * bench's config (a client key, the default log level, recording on unless `--no-recording`), fed the
 * same closed-loop load in interleaved rounds. Prints CPU µs per request (/proc) per route, p50 at one
 * connection and the median `x-llmux-overhead-ms`. `--cpu-prof DIR` writes V8 CPU profiles.
 * Each target's CPU is also given as a ratio to the first root's on the same route, paired round by
 * round (the median of per-round ratios, its interquartile range, and in how many rounds it used
 * less): this machine's speed drifts by tens of percent between rounds, and a pair measured in the
 * same round shares the drift, so a few percent that the medians alone cannot show do show here.
 *
 *   node bench/measure-request-cost.ts --root . --root /tmp/baseline --rounds 4 --requests 3000
 */

const { values } = parseArgs({
  options: {
    root: { type: 'string', multiple: true, default: ['.'] },
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '8' },
    latency: { type: 'string', default: '400' },
    routes: { type: 'string', default: 'openai,ollama,anthropic' },
    'no-recording': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    /** Also measures bench/bare-proxy.ts (the ceiling) on the OpenAI route. */
    bare: { type: 'boolean', default: false },
    /** Also measures the bare proxy's work inside one Fastify route (`bare-proxy.ts --fastify`): the framework's own floor. */
    'bare-fastify': { type: 'boolean', default: false },
    /** Every round in fresh processes (see measure-stream-cost.ts's `--fresh`): --cpu-prof, --perf and --strace then see the last round's. */
    fresh: { type: 'boolean', default: false },
    /** Counts system calls (strace -c -f) during one extra round per target and route, into this directory. */
    strace: { type: 'string' },
    /** Samples on-CPU stacks (perf record, with V8's perf map) during one extra round per target and route, into this directory. */
    perf: { type: 'string' },
  },
});


const work = mkdtempSync(join(tmpdir(), 'llmux-request-cost-'));
const fake = await startFakeUpstream({ latencyMs: 0, streamChunks: 20, chunkDelayMs: 0 });


interface Figures {
  cpuUs: number;
  p50Us: number;
  overheadUs: number;
}

async function load(target: Target, endpoint: BenchEndpoint, count: number, connections: number): Promise<Figures> {
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const overheads: number[] = [];
  let next = 0;
  const before = processCpuMicros(target.child.pid ?? -1);
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const start = performance.now();
      const answer = await pool.request({
        path: endpoint.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_CLIENT_KEY}` },
        body: endpoint.body,
      });
      const text = await answer.body.text();
      latencies.push((performance.now() - start) * 1000);
      if (answer.statusCode !== 200 || !text.includes(endpoint.expect)) throw new Error(`${endpoint.path}: HTTP ${answer.statusCode} ${text.slice(0, 200)}`);
      const overhead = answer.headers['x-llmux-overhead-ms'];
      if (typeof overhead === 'string') overheads.push(Number(overhead) * 1000);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const cpuUs = (processCpuMicros(target.child.pid ?? -1) - before) / count;
  await pool.close();
  return { cpuUs, p50Us: median(latencies), overheadUs: median(overheads) };
}

/** `list` ÷ `base`, paired round by round: `0.96× (IQR 0.91–1.02), less in 9 of 14 rounds`. */
function pairedRatio(list: readonly number[], base: readonly number[]): string {
  const count = Math.min(list.length, base.length);
  const ratios = Array.from({ length: count }, (_, index) => (list[index] as number) / (base[index] as number));
  const { low, high } = interquartileRange(ratios);
  const less = ratios.filter((ratio) => ratio < 1).length;
  return `${pairedMedian(list, base, (a, b) => a / b).toFixed(2)}× (IQR ${low.toFixed(2)}–${high.toFixed(2)}), less in ${less} of ${count} rounds`;
}

let targets: Target[] = [];
try {
  const spec: TargetSpec = {
    roots: values.root,
    work,
    upstreamPort: fake.port,
    recording: !values['no-recording'],
    profileFlags: (name) => (values.perf !== undefined ? ['--perf-basic-prof'] : values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`, `--cpu-prof-name=${name}.cpuprofile`]),
    bare: values.bare,
    bareFastify: values['bare-fastify'],
    bareFlags: values.perf === undefined ? [] : ['--perf-basic-prof'],
  };
  const startAll = async (): Promise<void> => {
    targets = await startTargets(spec);
    // Warm-up: JIT, heap growth and keep-alive.
    for (const target of targets) {
      const endpoints = endpointsOf(target, values.routes, false);
      for (const endpoint of endpoints) await load(target, endpoint, warmRequestsPerPath(endpoints.length), Number(values.connections));
    }
  };
  await startAll();
  const requests = Number(values.requests);
  const connections = Number(values.connections);
  const latencyRequests = Number(values.latency);
  const cpu = new Map<string, number[]>();
  const p50 = new Map<string, number[]>();
  const overhead = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, value: number): void => {
    map.set(key, [...(map.get(key) ?? []), value]);
  };
  for (let round = 0; round < Number(values.rounds); round += 1) {
    if (values.fresh && round > 0) {
      await stopTargets(targets);
      await startAll();
    }
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      for (const endpoint of endpointsOf(target, values.routes, false)) {
        const key = `${target.label}\t${endpoint.label}`;
        push(cpu, key, (await load(target, endpoint, requests, connections)).cpuUs);
        const single = await load(target, endpoint, latencyRequests, 1);
        push(p50, key, single.p50Us);
        push(overhead, key, single.overheadUs);
      }
    }
  }
  const tracing = values.strace ?? values.perf;
  if (tracing !== undefined) {
    const directory = resolve(tracing);
    mkdirSync(directory, { recursive: true });
    for (const target of targets) {
      for (const endpoint of endpointsOf(target, values.routes, false)) {
        const file = join(directory, `${target.label.replace(/\W+/g, '_')}-${endpoint.label}.${values.perf === undefined ? 'txt' : 'data'}`);
        const command = values.perf === undefined ? ['strace', '-c', '-f', '-o', file] : ['perf', 'record', '-e', 'cpu-clock', '-F', '2999', '-g', '-o', file];
        const tracer = spawn(command[0] ?? '', [...command.slice(1), '-p', String(target.child.pid)], { stdio: ['ignore', 'ignore', 'inherit'] });
        // Listened for from the start: a tracer that cannot start (not installed, no permission to
        // attach, an output file it cannot open) exits at once, and waiting for it later would hang.
        let exited = false;
        const stopped = new Promise((done) => tracer.once('close', () => { exited = true; done(undefined); }));
        tracer.once('error', (error) => { process.stderr.write(`${command[0]}: ${error.message}\n`); });
        await new Promise((done) => setTimeout(done, 1000));
        if (exited) {
          process.stderr.write(`${command[0]} stopped before the load began (see its message above); nothing recorded for ${file}\n`);
          continue;
        }
        await load(target, endpoint, requests, connections);
        tracer.kill('SIGINT');
        await stopped;
      }
    }
  }
  console.log('root\troute\tCPU µs/req (median of rounds)\tp50 µs at 1 conn\tx-llmux-overhead-ms µs\tCPU ÷ the first root, paired by round\trounds CPU');
  const firstOfRoute = new Map<string, number[]>();
  for (const [key, list] of cpu) {
    const route = key.slice(key.lastIndexOf('\t') + 1);
    const base = firstOfRoute.get(route);
    if (base === undefined) firstOfRoute.set(route, list);
    console.log(
      `${key}\t${median(list).toFixed(0)}\t${median(p50.get(key) ?? []).toFixed(0)}\t${median(overhead.get(key) ?? []).toFixed(0)}\t${base === undefined ? '—' : pairedRatio(list, base)}\t${list.map((value) => value.toFixed(0)).join(' ')}`,
    );
  }
  const direct = await (async () => {
    const pool = new Pool(`http://127.0.0.1:${fake.port}`, { connections: 1 });
    const latencies: number[] = [];
    for (let index = 0; index < latencyRequests; index += 1) {
      const start = performance.now();
      const answer = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body: openaiChatEndpoint('', '', false).body });
      await answer.body.text();
      latencies.push((performance.now() - start) * 1000);
    }
    await pool.close();
    return median(latencies);
  })();
  console.log(`direct p50 at 1 conn: ${direct.toFixed(0)} µs`);
} finally {
  await stopTargets(targets);
  await fake.close();
  rmSync(work, { recursive: true, force: true });
}
