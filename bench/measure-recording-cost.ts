import { DatabaseSync } from 'node:sqlite';
import { noteErrors, type BenchContext } from './bench-context.ts';
import { openaiChatEndpoint, probeEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import type { BenchRow } from './bench-report.ts';
import { atLeast, atMost, formatMicros, formatRate, formatRatio, unavailableRow } from './format-figure.ts';
import type { LlmuxProcess } from './llmux-process.ts';
import { median, pairedMedian } from './percentile.ts';
import { closedLoopWithCpu, type Measured } from './closed-loop-cpu.ts';
import { WARM_REQUESTS_PER_PROCESS } from './warm-up.ts';

const CONNECTIONS = 50;
const SECTION = 'Recording: usage records and metrics';
const MIN_RATIO = 0.95;
const MAX_CPU_RATIO = 1.05;

/** One round's pair: recording on and off, otherwise the same config. */
export interface RecordingPair {
  on: LlmuxProcess;
  off: LlmuxProcess;
  stop(): Promise<void>;
}

export interface RecordingProcesses {
  /** Starts a new pair for each round (one process is not a sample of its code: bench/README.md). */
  startPair: (round: number) => Promise<RecordingPair>;
  /** A fresh llmux with recording on, for the exact count. */
  counted: LlmuxProcess;
}

/**
 * What recording costs the request path: requests/s and CPU per request with usage records and
 * metrics on ÷ off (a new pair of llmux processes each round, same config otherwise, each warmed
 * with WARM_REQUESTS_PER_PROCESS), paired round by round; then exactly `recordCount` requests to a fresh llmux,
 * stopped with SIGTERM right after the last answer, and the records in its database counted.
 */
export async function measureRecordingCost(context: BenchContext, processes: RecordingProcesses | string, recordCount: number): Promise<BenchRow[]> {
  if (typeof processes === 'string') return [unavailableRow(SECTION, 'req/s recording on ÷ off', processes)];
  const { session } = context;
  const ofOn: Measured[] = [];
  const ofOff: Measured[] = [];
  for (let round = 0; round < context.rounds; round += 1) {
    let pair: RecordingPair;
    try {
      pair = await processes.startPair(round);
    } catch (error) {
      return [unavailableRow(SECTION, 'req/s recording on ÷ off', error instanceof Error ? error.message : String(error))];
    }
    try {
      const on = openaiChatEndpoint('llmux, recording on', pair.on.origin, false);
      const off = openaiChatEndpoint('llmux, recording off', pair.off.origin, false);
      for (const endpoint of [on, off]) {
        const missing = await probeEndpoint(endpoint);
        if (missing !== undefined) return [unavailableRow(SECTION, 'req/s recording on ÷ off', missing)];
      }
      const run = (endpoint: BenchEndpoint, pid: number, count?: number): Promise<Measured> =>
        closedLoopWithCpu(session, endpoint, pid, CONNECTIONS, count === undefined ? context.roundMs : 60_000, count);
      const order: Array<[BenchEndpoint, number, Measured[]]> = [
        [off, pair.off.pid, ofOff],
        [on, pair.on.pid, ofOn],
      ];
      if (round % 2 === 1) order.reverse();
      for (const [endpoint, pid] of order) await run(endpoint, pid, WARM_REQUESTS_PER_PROCESS);
      for (const [endpoint, pid, results] of order) results.push(await run(endpoint, pid));
    } finally {
      await pair.stop();
    }
  }
  const ratio = pairedMedian(ofOn, ofOff, (recording, plain) => recording.result.requestsPerSecond / plain.result.requestsPerSecond);
  const cpuRatio = pairedMedian(ofOn, ofOff, (recording, plain) => recording.cpuPerRequestUs / plain.cpuPerRequestUs);
  noteErrors(context, 'recording on', ofOn.map((round) => round.result));
  noteErrors(context, 'recording off', ofOff.map((round) => round.result));
  const rps = (list: readonly Measured[]): number => median(list.map((round) => round.result.requestsPerSecond));
  const cpu = (list: readonly Measured[]): number => median(list.map((round) => round.cpuPerRequestUs));
  const rows: BenchRow[] = [
    {
      section: SECTION,
      figure: `req/s at ${CONNECTIONS} connections, on ÷ off (a new pair each round)`,
      baseline: formatRate(rps(ofOff), 'req/s'),
      measured: formatRate(rps(ofOn), 'req/s'),
      result: formatRatio(ratio),
      target: `≥ ${MIN_RATIO.toFixed(2)}×`,
      status: atLeast(ratio, MIN_RATIO),
    },
    {
      section: SECTION,
      figure: 'llmux CPU per request (/proc), on ÷ off',
      baseline: formatMicros(cpu(ofOff)),
      measured: formatMicros(cpu(ofOn)),
      result: formatRatio(cpuRatio),
      target: `≤ ${MAX_CPU_RATIO.toFixed(2)}×`,
      status: atMost(cpuRatio, MAX_CPU_RATIO),
    },
  ];

  const counted = openaiChatEndpoint('llmux, counted', processes.counted.origin, false);
  const sent = await session.closedLoop(counted, CONNECTIONS, 600_000, recordCount);
  await processes.counted.stop();
  const database = new DatabaseSync(processes.counted.databaseFile, { readOnly: true });
  const stored = (database.prepare('SELECT COUNT(*) AS n FROM usage_records').get() as { n: number }).n;
  const priced = (database.prepare('SELECT COUNT(*) AS n FROM usage_records WHERE input_tokens > 0 AND output_tokens > 0').get() as { n: number }).n;
  database.close();
  const answered = sent.requests + sent.errors;
  rows.push({
    section: SECTION,
    figure: `records after ${answered.toLocaleString('en-US')} requests and SIGTERM`,
    baseline: `${answered.toLocaleString('en-US')} requests (${sent.errors} failed)`,
    measured: `${stored.toLocaleString('en-US')} records (${priced.toLocaleString('en-US')} with tokens)`,
    result: stored === answered ? 'exact' : `${stored - answered > 0 ? '+' : ''}${stored - answered}`,
    target: 'one per request',
    status: stored === answered ? 'PASS' : 'MISS',
  });
  return rows;
}
