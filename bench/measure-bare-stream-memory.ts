import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { BenchContext } from './bench-context.ts';
import { BenchChild } from './bench-child.ts';
import { openaiChatEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { formatBytes } from './format-figure.ts';
import { processEnvironment } from './process-environment.ts';
import { FLOW_WAIT_MS, sampleResidentSet, SLOW_STREAM } from './measure-memory.ts';

const SECTION = 'Memory (llmux process RSS)';

/** The Node settings a running llmux was given (bin/llmux.js's heap flags and glibc's allocator settings), read from /proc. */
export interface NodeSettings {
  flags: string[];
  env: Record<string, string>;
}

/**
 * What `pid` runs with: the Node flags before its script (but `--inspect-port`, which only the bench
 * adds), and the MALLOC_ variables and GLIBC_TUNABLES of its environment. Undefined where /proc cannot be read.
 */
export function nodeSettingsOf(pid: number): NodeSettings | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1);
    const end = args.findIndex((arg) => !arg.startsWith('--'));
    const flags = args.slice(0, end === -1 ? args.length : end).filter((flag) => !flag.startsWith('--inspect'));
    const env = Object.fromEntries(
      processEnvironment(pid)
        .filter((entry) => entry.startsWith('MALLOC_') || entry.startsWith('GLIBC_TUNABLES='))
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
    return { flags, env };
  } catch {
    return undefined;
  }
}

/**
 * The open-stream figure for the ceiling: the same `count` slow streams held through the bare proxy
 * (bench/bare-proxy.ts), in a process of its own, measured as llmux is — a short warm-up, one full
 * collection that gives the freed pages back (llmux's idle collector runs the same one before its
 * "before"), RSS before, RSS one second after all of them flow — once with V8's default heap
 * settings and once with those llmux runs with (`llmux`, read off the memory llmux). It says how much
 * of llmux's per-stream figure is its own state and how much is the runtime's settings: the young
 * generation a burst grows to its limit is a fixed cost the figure divides by `count`.
 */
export async function measureBareStreamMemory(context: BenchContext, count: number, benchDirectory: string, llmux: NodeSettings | undefined): Promise<BenchRow> {
  const figure = `RSS with ${count} open idle streams through the bare proxy (the ceiling), per stream: with V8's default heap settings / with llmux's`;
  const perStream: string[] = [];
  for (const settings of [{ flags: [], env: {} }, llmux]) {
    if (settings === undefined) {
      perStream.push("n/a: llmux's settings could not be read");
      continue;
    }
    perStream.push(await holdThroughBare(context, count, benchDirectory, settings));
  }
  return {
    section: SECTION,
    figure,
    baseline: '—',
    measured: perStream.join(' / '),
    result: llmux === undefined ? '' : `llmux's: ${llmux.flags.filter((flag) => flag !== '--expose-gc').join(' ') || 'none'}`,
    target: '—',
    status: 'info',
  };
}

/** One bare proxy with `settings`: its RSS per held stream, or why it could not be read. */
async function holdThroughBare(context: BenchContext, count: number, benchDirectory: string, settings: NodeSettings): Promise<string> {
  const { session } = context;
  const flags = settings.flags.includes('--expose-gc') ? settings.flags : [...settings.flags, '--expose-gc'];
  const bare = new BenchChild('bare proxy (memory)', join(benchDirectory, 'bare-proxy.ts'), ['--upstream-port', String(session.upstreamPort)], { execArgv: flags, env: settings.env });
  try {
    const { port } = await bare.receive(z.object({ type: z.literal('ready'), port: z.number().int() }), 10_000);
    const endpoint = openaiChatEndpoint('bare proxy /v1/chat/completions', `http://127.0.0.1:${port}`, true);
    await session.configureUpstream({ latencyMs: 0, streamChunks: 5, chunkDelayMs: 0 });
    await session.closedLoop(endpoint, 4, 300);
    await session.configureUpstream(SLOW_STREAM);
    await session.holdStreams(endpoint, 8, () => sleep(300));
    await sleep(1000);
    bare.send({ type: 'collect' });
    const { collected } = await bare.receive(z.object({ type: z.literal('collected'), collected: z.boolean() }), 10_000);
    if (!collected) return 'n/a: no gc() in the bare proxy';
    await sleep(1000);
    const before = await sampleResidentSet(bare.pid);
    let holding = Number.NaN;
    const result = await session.holdStreams(endpoint, count, async () => {
      for (let waited = 0; waited < FLOW_WAIT_MS && (await session.upstreamStats()).openStreams < count; waited += 100) await sleep(100);
      await sleep(1000);
      holding = await sampleResidentSet(bare.pid);
    });
    for (let poll = 0; poll < 30 && (await session.upstreamStats()).openStreams > 0; poll += 1) await sleep(100);
    const held = result.requests - result.errors;
    if (held === 0) return `n/a: no stream held (${result.firstError ?? 'unknown'})`;
    return `${formatBytes((holding - before) / held)}${held < count ? ` (${held} held)` : ''}`;
  } catch (error) {
    return `n/a: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await bare.stop();
    await session.configureUpstream({ latencyMs: 0, streamChunks: 20, chunkDelayMs: 0 });
  }
}
