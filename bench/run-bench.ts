import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, type } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext } from './bench-context.ts';
import { renderConsoleReport, renderMarkdownReport, type BenchRow } from './bench-report.ts';
import { startCeilingProcesses } from './ceiling-processes.ts';
import { BenchSession } from './bench-session.ts';
import { findFreePort, startLlmux, type LlmuxProcess } from './llmux-process.ts';
import { measureCeiling } from './measure-ceiling.ts';
import { BENCH_ADMIN_KEY } from './fake-upstream.ts';
import { measureBareStreamMemory, nodeSettingsOf } from './measure-bare-stream-memory.ts';
import { measureFinalMemory, measureIdleMemory, measureOpenStreamMemory, type MemoryTarget } from './measure-memory.ts';
import { measureLatency } from './measure-latency.ts';
import { measureStreaming } from './measure-streaming.ts';
import { measureRecordingCost, type RecordingPair, type RecordingProcesses } from './measure-recording-cost.ts';
import { measureResponses } from './measure-responses.ts';
import { measureThroughput } from './measure-throughput.ts';
import { findNginx, startNginxProxy, type NginxProxy } from './nginx-proxy.ts';

/**
 * `npm run bench`: fake upstream, llmux and the load generator as separate processes; measures
 * the direct path and the path through llmux in the same run and prints ratios to direct.
 * Reports, never gates: exits 0 whether targets are met or not. See bench/README.md.
 */

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDirectory);

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'self-check': { type: 'boolean', default: false },
    streams: { type: 'string', default: '1000' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    'round-ms': { type: 'string' },
    records: { type: 'string' },
    'recording-only': { type: 'boolean', default: false },
  },
});
const selfCheck = flags['self-check'];
const rounds = Number(flags.rounds ?? (flags.quick ? 2 : 4));
const roundMs = Number(flags['round-ms'] ?? (flags.quick ? 500 : 1500));
const openStreams = Number(flags.streams);
const recordCount = Number(flags.records ?? (flags.quick ? 5000 : 100_000));
/** `--only memory,ceiling`: just those sections (a targeted look; its report goes to the temp directory, not latest.md). */
const onlySections = flags.only === undefined ? undefined : new Set(flags.only.split(','));
const wanted = (section: string): boolean => onlySections === undefined || onlySections.has(section);
const outputFile = onlySections !== undefined ? join(tmpdir(), 'llmux-bench-only.md') : join(benchDirectory, 'results', selfCheck ? 'self-check.md' : flags['recording-only'] ? 'recording.md' : 'latest.md');

function commitDescription(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit} (src/ has uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  // Other work on the machine is the main source of noise; the report says how busy it was.
  const loadAtStart = loadavg()[0] ?? Number.NaN;
  const workDirectory = mkdtempSync(join(tmpdir(), 'llmux-bench-'));
  const session = await BenchSession.start(benchDirectory);
  let llmux: LlmuxProcess | undefined;
  const others: LlmuxProcess[] = [];
  let nginx: NginxProxy | undefined;
  let logLines = 0;
  const stopAll = async (): Promise<void> => {
    await llmux?.stop();
    for (const other of others) await other.stop();
    await nginx?.stop();
    if (llmux !== undefined) logLines = readFileSync(llmux.logFile, 'utf8').split('\n').length - 1;
    await session.stop();
    rmSync(workDirectory, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  const context: BenchContext = { session, llmux: undefined, llmuxMissing: '', rounds, roundMs, notes: [], tables: [] };
  const rows: BenchRow[] = [];
  try {
    if (selfCheck) {
      // Harness self-check: "through llmux" is the fake upstream again, so ratios should be ≈ 1.
      context.llmux = { origin: session.upstreamOrigin, pid: session.upstream.pid };
      context.notes.push('self-check run: the "through llmux" column is the fake upstream measured a second time');
    } else {
      try {
        llmux = await startLlmux({ repoRoot, workDirectory, upstreamPort: session.upstreamPort, providerTypes: ['cerebras', 'openai-compatible'] });
        context.llmux = { origin: llmux.origin, pid: llmux.pid };
      } catch (error) {
        context.llmuxMissing = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
        context.notes.push(`llmux not measured: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (llmux !== undefined) {
      const ceilingOptions = { repoRoot, benchDirectory, workDirectory, upstreamPort: session.upstreamPort, providerType: llmux.providerType };
      context.startCeiling = (round) => startCeilingProcesses(ceilingOptions, round, context.notes);
    }
    if (!selfCheck) {
      const binary = findNginx();
      if (binary === undefined) context.notes.push('nginx not measured: not installed (apt-get install nginx-light adds it to the ceiling section)');
      else {
        try {
          nginx = await startNginxProxy(binary, join(workDirectory, 'nginx'), session.upstreamPort);
          context.nginx = { origin: nginx.origin, pid: nginx.pid };
        } catch (error) {
          context.notes.push(`nginx not measured: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    // The open-stream figures end with a collection forced through the inspector: a process of their own.
    const startMemoryLlmux = async (): Promise<MemoryTarget | string> => {
      if (llmux === undefined) return context.llmuxMissing;
      try {
        const inspectPort = await findFreePort();
        const started = await startLlmux({ repoRoot, workDirectory, upstreamPort: session.upstreamPort, providerTypes: [llmux.providerType], name: 'memory', nodeArgs: [`--inspect-port=127.0.0.1:${inspectPort}`], adminKey: BENCH_ADMIN_KEY });
        others.push(started);
        return { origin: started.origin, pid: started.pid, inspectPort };
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    };
    const log = (step: string): void => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${step}`);
    if (!flags['recording-only']) {
      if (!selfCheck && wanted('memory')) {
        log('memory: idle RSS');
        rows.push(await measureIdleMemory(context));
        log(`memory: ${openStreams} open streams, in an llmux of their own`);
        const memoryTarget = await startMemoryLlmux();
        rows.push(...(await measureOpenStreamMemory(context, openStreams, memoryTarget)));
        const memorySettings = typeof memoryTarget === 'string' ? undefined : nodeSettingsOf(memoryTarget.pid);
        await others.find((other) => typeof memoryTarget !== 'string' && other.pid === memoryTarget.pid)?.stop();
        log(`memory: ${openStreams} open streams through the bare proxy, with V8's defaults and with llmux's heap settings`);
        rows.push(await measureBareStreamMemory(context, openStreams, benchDirectory, memorySettings));
      }
      if (wanted('throughput')) {
        log(`throughput: ${rounds} rounds × ${roundMs} ms per path`);
        rows.push(...(await measureThroughput(context)));
      }
      if (wanted('latency')) {
        log('latency: 1 connection');
        rows.push(...(await measureLatency(context)));
      }
      if (wanted('streaming')) {
        log('streaming: first byte, first line, last byte; chunk throughput');
        rows.push(...(await measureStreaming(context)));
      }
      if (!selfCheck && wanted('responses')) {
        log('responses: /v1/responses vs /v1/chat/completions');
        rows.push(...(await measureResponses(context)));
      }
      // After the sections that load the main llmux: the ceiling runs on processes of its own for
      // minutes, and the main llmux, idle that long, would meet the next section half cold again.
      if (!selfCheck && wanted('ceiling')) {
        log('ceiling: llmux against the bare proxy');
        rows.push(...(await measureCeiling(context)));
      }
      if (!selfCheck && onlySections === undefined) rows.push(await measureFinalMemory(context));
    }
    if (!selfCheck && llmux !== undefined && wanted('recording')) {
      log(`recording: on vs off, then ${recordCount} requests counted`);
      let processes: RecordingProcesses | string;
      try {
        const start = async (name: string, recording: boolean): Promise<LlmuxProcess> => {
          const started = await startLlmux({ repoRoot, workDirectory, upstreamPort: session.upstreamPort, providerTypes: [llmux?.providerType ?? 'cerebras'], name, recording });
          others.push(started);
          return started;
        };
        const startPair = async (round: number): Promise<RecordingPair> => {
          const on = await start(`on-${round}`, true);
          const off = await start(`off-${round}`, false);
          return { on, off, stop: async () => { await on.stop(); await off.stop(); } };
        };
        processes = { startPair, counted: await start('counted', true) };
      } catch (error) {
        processes = error instanceof Error ? error.message : String(error);
      }
      rows.push(...(await measureRecordingCost(context, processes, recordCount)));
    }
  } finally {
    await stopAll();
  }

  const sectionOrder = [...new Set(rows.map((row) => row.section))];
  const grouped = sectionOrder.flatMap((section) => rows.filter((row) => row.section === section));
  const cpuList = cpus();
  const report = {
    title: selfCheck ? 'llmux benchmark — harness self-check (direct vs direct)' : 'llmux benchmark',
    facts: [
      ['Date', new Date().toISOString()],
      ['Node', process.version],
      ['CPU', `${cpuList[0]?.model ?? 'unknown'} × ${cpuList.length}`],
      ['OS', `${type()} ${release()}`],
      ['Load average', `${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? Number.NaN).toFixed(2)} at the end (1 min)`],
      ['Commit', commitDescription()],
      ['llmux', llmux === undefined ? (selfCheck ? 'not started (self-check)' : 'not available') : `provider type ${llmux.providerType}; default log level, ${logLines} log lines written to a file`],
      ['Rounds', `${rounds} interleaved rounds per comparison, ${roundMs} ms per closed-loop round; medians over rounds`],
      ['Processes', `orchestrator, fake upstream, load generator, llmux (another for the open-stream memory, two more each round for recording on and off and one for the record count; the ceiling section a new one each round, beside a new bare proxy, the same inside Fastify and the same with llmux's heap settings): each its own Node process${nginx === undefined ? '' : '; nginx, one worker'}`],
      ['Duration', `${((performance.now() - started) / 1000).toFixed(0)} s`],
    ] as const,
    rows: grouped,
    tables: context.tables,
    notes: context.notes,
  };
  console.log(`\n${renderConsoleReport(report)}`);
  mkdirSync(dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, renderMarkdownReport(report));
  console.log(`written to ${relative(process.cwd(), outputFile)}`);
}

await main();
