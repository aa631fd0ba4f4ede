import type { BenchEndpoint } from './bench-endpoint.ts';
import type { BenchSession } from './bench-session.ts';
import type { ClosedLoopResult } from './load-job.ts';
import { processCpuMicros } from './process-cpu.ts';

/** One closed-loop run and what the serving process spent on it. */
export interface Measured {
  result: ClosedLoopResult;
  /** CPU µs the serving process spent per request in this run, from /proc (NaN without a process: the direct path). */
  cpuPerRequestUs: number;
}

/** `session.closedLoop` with the CPU time process `pid` used meanwhile, per request. */
export async function closedLoopWithCpu(session: BenchSession, endpoint: BenchEndpoint, pid: number | undefined, connections: number, durationMs: number, count?: number): Promise<Measured> {
  const before = pid === undefined ? Number.NaN : processCpuMicros(pid);
  const result = await session.closedLoop(endpoint, connections, durationMs, count);
  const after = pid === undefined ? Number.NaN : processCpuMicros(pid);
  return { result, cpuPerRequestUs: (after - before) / Math.max(1, result.requests) };
}
