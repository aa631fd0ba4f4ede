import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { openaiChatEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import { endpointsOf, startTargets, stopTargets, type Target, type TargetSpec } from './checkout-target.ts';
import { BENCH_CLIENT_KEY, startFakeUpstream } from './fake-upstream.ts';
import { stagesFile, type FirstByteStages } from './first-byte-stages.ts';

/**
 * A targeted look at streamed answers: llmux started from the TypeScript sources of one or more
 * checkouts (`--root A --root B` compares them in the same run), fed the same load in interleaved
 * rounds. Per route it prints
 *  - CPU µs per event: CPU per stream of `--events` chunks minus CPU per stream of 2 chunks, divided
 *    by the difference, the upstream writing each chunk on its own, `--pace-ms` apart (`--pace-ms 0`:
 *    back to back, so that several events share a network chunk);
 *  - time to first byte at one connection (p50), and what it adds to the fake upstream's own;
 *    `--probe-gap-ms` pauses between one probe's end and the next request (the bench sends it at once).
 * `--bare` adds bench/bare-proxy.ts (OpenAI route only), `--bare-fastify` the same inside Fastify.
 * `--cpu-prof DIR` writes V8 CPU profiles. `--stages` also says where each target's time to first
 * byte goes (bench/first-byte-stages.ts, loaded into every target: request start → route handler →
 * upstream request → its answer → first write), as medians over the probes of each round.
 *
 *   node bench/measure-stream-cost.ts --root /work/main --root . --routes openai,ollama --rounds 3
 */

const { values } = parseArgs({
  options: {
    root: { type: 'string', multiple: true, default: ['.'] },
    rounds: { type: 'string', default: '3' },
    routes: { type: 'string', default: 'openai,ollama,anthropic,responses' },
    /** Events per stream in the CPU figure; 0 measures the time to first byte only. */
    events: { type: 'string', default: '200' },
    /** Streams per CPU measurement, and connections. */
    streams: { type: 'string', default: '200' },
    connections: { type: 'string', default: '8' },
    'pace-ms': { type: 'string', default: '1' },
    /** Streams per time-to-first-byte measurement (one connection). */
    probes: { type: 'string', default: '200' },
    /** Pause between one probe's last byte and the next probe's request, in ms (0: at once, as the bench does). */
    'probe-gap-ms': { type: 'string', default: '0' },
    bare: { type: 'boolean', default: false },
    'bare-fastify': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    stages: { type: 'boolean', default: false },
    /**
     * Every round in fresh processes (stopped, started and warmed up again): one process of a target
     * can run 10–20 % slower or faster than another of the same code for its whole life, so rounds
     * in one process each share its luck; fresh ones average it out.
     */
    fresh: { type: 'boolean', default: false },
  },
});


const work = mkdtempSync(join(tmpdir(), 'llmux-stream-cost-'));
const fake = await startFakeUpstream({ latencyMs: 0, streamChunks: 20, chunkDelayMs: 0 });


/** One stream: microseconds to its first body byte, and the whole body. */
async function stream(pool: Pool, endpoint: BenchEndpoint): Promise<number> {
  const start = performance.now();
  const answer = await pool.request({
    path: endpoint.path,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_CLIENT_KEY}` },
    body: endpoint.body,
  });
  let firstByteUs = Number.NaN;
  let text = '';
  for await (const chunk of answer.body) {
    if (Number.isNaN(firstByteUs)) firstByteUs = (performance.now() - start) * 1000;
    text += String(chunk);
  }
  if (answer.statusCode !== 200 || !text.includes(endpoint.expect)) throw new Error(`${endpoint.path}: HTTP ${answer.statusCode} ${text.slice(0, 200)}`);
  return firstByteUs;
}

/** CPU µs the target spent per stream of `chunks` events. */
async function cpuPerStream(target: Target, endpoint: BenchEndpoint, chunks: number): Promise<number> {
  fake.configure({ latencyMs: 0, streamChunks: chunks, chunkDelayMs: Number(values['pace-ms']) });
  const count = Number(values.streams);
  const pool = new Pool(endpoint.origin, { connections: Number(values.connections), pipelining: 1 });
  let next = 0;
  const before = processCpuMicros(target.child.pid ?? -1);
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await stream(pool, endpoint);
    }
  };
  await Promise.all(Array.from({ length: Number(values.connections) }, worker));
  const cpu = (processCpuMicros(target.child.pid ?? -1) - before) / count;
  await pool.close();
  return cpu;
}

const STAGES_FLAGS = values.stages ? ['--import', join(import.meta.dirname, 'first-byte-stages.ts')] : [];

/** What bench/first-byte-stages.ts saw in `pid` since it was last asked (it starts over then). */
async function readStages(pid: number): Promise<FirstByteStages> {
  const file = stagesFile(pid);
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; !existsSync(file); waited += 10) {
    if (waited > 5000) throw new Error(`process ${pid} wrote no first-byte stages (was it started with --stages?)`);
    await sleep(10);
  }
  const stages = JSON.parse(readFileSync(file, 'utf8')) as FirstByteStages;
  rmSync(file, { force: true });
  return stages;
}

/**
 * p50 time to first byte at one connection, 20 chunks 1 ms apart (as the bench probes it), and
 * when each request was sent (wall clock, ms: see FirstByteStages.startedAtMs).
 */
async function firstBytePerStream(origin: string, endpoint: BenchEndpoint): Promise<{ p50: number; sentAtMs: number[] }> {
  fake.configure({ latencyMs: 0, streamChunks: 20, chunkDelayMs: 1 });
  const pool = new Pool(origin, { connections: 1, pipelining: 1 });
  const list: number[] = [];
  const sentAtMs: number[] = [];
  const gapMs = Number(values['probe-gap-ms']);
  for (let index = 0; index < Number(values.probes); index += 1) {
    if (gapMs > 0 && index > 0) await sleep(gapMs);
    sentAtMs.push(performance.timeOrigin + performance.now());
    list.push(await stream(pool, endpoint));
  }
  await pool.close();
  return { p50: median(list), sentAtMs };
}

/** Median µs between the prober's sending each request and the server's reading it (NaN unless the server saw exactly those requests). */
function waitBeforeRead(sentAtMs: number[], startedAtMs: number[]): number {
  if (sentAtMs.length !== startedAtMs.length) return Number.NaN;
  return median(startedAtMs.map((started, index) => (started - (sentAtMs[index] ?? Number.NaN)) * 1000));
}

/**
 * CPU time of every thread of a process so far, in µs, from /proc/<pid>/task/<tid>/schedstat (ns,
 * unlike /proc/<pid>/stat's 10 ms ticks: short streams cost less than one tick each).
 */
function processCpuMicros(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1000;
}

function median(list: number[]): number {
  if (list.length === 0) return Number.NaN;
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

let targets: Target[] = [];
try {
  const profileFlags = (name: string): string[] => [...STAGES_FLAGS, ...(values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`, `--cpu-prof-name=${name}.cpuprofile`])];
  const events = Number(values.events);
  const spec: TargetSpec = { roots: values.root, work, upstreamPort: fake.port, recording: true, profileFlags, bare: values.bare, bareFastify: values['bare-fastify'], bareFlags: STAGES_FLAGS };
  const startAll = async (): Promise<void> => {
    targets = await startTargets(spec);
    // Warm-up: JIT and keep-alive.
    for (const target of targets) for (const endpoint of endpointsOf(target, values.routes, true)) await cpuPerStream(target, endpoint, Math.max(events, 20));
  };
  await startAll();
  const perEvent = new Map<string, number[]>();
  const perStream = new Map<string, number[]>();
  const firstByte = new Map<string, number[]>();
  const stages = new Map<string, (FirstByteStages & { waitBeforeReadUs: number })[]>();
  const direct: number[] = [];
  const push = (map: Map<string, number[]>, key: string, value: number): void => {
    map.set(key, [...(map.get(key) ?? []), value]);
  };
  const directEndpoint = openaiChatEndpoint('direct', `http://127.0.0.1:${fake.port}`, true);
  for (let round = 0; round < Number(values.rounds); round += 1) {
    if (values.fresh && round > 0) {
      await stopTargets(targets);
      await startAll();
    }
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    direct.push((await firstBytePerStream(directEndpoint.origin, directEndpoint)).p50);
    for (const target of order) {
      for (const endpoint of endpointsOf(target, values.routes, true)) {
        const key = `${target.label}\t${endpoint.label}`;
        if (events > 2) {
          const long = await cpuPerStream(target, endpoint, events);
          const short = await cpuPerStream(target, endpoint, 2);
          push(perEvent, key, (long - short) / (events - 2));
          push(perStream, key, short);
        }
        if (values.stages) await readStages(target.child.pid ?? -1);
        const probed = await firstBytePerStream(target.origin, endpoint);
        push(firstByte, key, probed.p50);
        if (values.stages) {
          const seen = await readStages(target.child.pid ?? -1);
          stages.set(key, [...(stages.get(key) ?? []), { ...seen, waitBeforeReadUs: waitBeforeRead(probed.sentAtMs, seen.startedAtMs) }]);
        }
      }
    }
  }
  const directFirstByte = median(direct);
  console.log(`pace ${values['pace-ms']} ms, ${events} events per stream; direct first byte p50 ${directFirstByte.toFixed(0)} µs (rounds ${direct.map((value) => value.toFixed(0)).join(' ')})`);
  console.log('root\troute\tCPU µs/event\tCPU µs per 2-event stream\tfirst byte p50 µs\tadded to direct µs\trounds µs/event\trounds first byte');
  for (const [key, first] of firstByte) {
    const list = perEvent.get(key) ?? [];
    console.log(
      `${key}\t${median(list).toFixed(2)}\t${median(perStream.get(key) ?? []).toFixed(0)}\t${median(first).toFixed(0)}\t${(median(first) - directFirstByte).toFixed(0)}\t` +
        `${list.map((value) => value.toFixed(2)).join(' ')}\t${first.map((value) => value.toFixed(0)).join(' ')}`,
    );
  }
  if (values.stages) {
    console.log('\nwhere the first byte goes (µs; median over rounds of each round\'s median): the wait before the server read the request (prober\'s send → request start),');
    console.log('request start → handler → upstream request, the upstream\'s answer, answer → first write, in all; after the last byte: the end() call, and the work left until the loop\'s next check phase');
    console.log('root\troute\tsend → start\tstart → handler\tstart → upstream request\tupstream (create → headers)\theaders → first write\tstart → first write\tend() call\tend() → check phase\tstreams seen');
    const of = (list: (FirstByteStages & { waitBeforeReadUs: number })[], pick: (entry: FirstByteStages & { waitBeforeReadUs: number }) => number): string => {
      const value = median(list.map(pick).filter(Number.isFinite));
      return Number.isNaN(value) ? '—' : value.toFixed(0);
    };
    for (const [key, list] of stages) {
      const cells = [
        of(list, (entry) => entry.waitBeforeReadUs),
        of(list, (entry) => entry.toHandlerUs),
        of(list, (entry) => entry.toUpstreamUs),
        of(list, (entry) => entry.upstreamUs),
        of(list, (entry) => entry.answerToFirstWriteUs),
        of(list, (entry) => entry.totalUs),
        of(list, (entry) => entry.endCallUs),
        of(list, (entry) => entry.afterEndUs),
      ];
      console.log(`${key}\t${cells.join('\t')}\t${list.map((entry) => entry.streams).join(' ')}`);
    }
  }
} finally {
  await stopTargets(targets);
  await fake.close();
  rmSync(work, { recursive: true, force: true });
}
