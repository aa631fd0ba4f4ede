import type { BenchTable } from './bench-report.ts';
import type { BenchSession } from './bench-session.ts';
import type { CeilingProcesses } from './ceiling-processes.ts';

/** What every section receives: the helpers, where llmux is (if it runs), and the round plan. */
export interface BenchContext {
  session: BenchSession;
  /** Undefined when llmux could not be started; `llmuxMissing` says why. */
  llmux: { origin: string; pid: number } | undefined;
  llmuxMissing: string;
  /**
   * Starts the ceiling section's servers for one round: a new llmux and new bare proxies (the
   * ceiling llmux is held to, the same inside Fastify, the same with llmux's heap settings).
   * Undefined when llmux did not start.
   */
  startCeiling?: ((round: number) => Promise<CeilingProcesses>) | undefined;
  /** nginx as a keep-alive `proxy_pass` (bench/nginx-proxy.ts), when it is installed: the floor of any proxy. */
  nginx?: { origin: string; pid: number } | undefined;
  /** Rounds per comparison and the length of one closed-loop round. */
  rounds: number;
  roundMs: number;
  /** Lines for the report's notes (errors seen, skipped parts). */
  notes: string[];
  /** Summary tables, printed under their section. */
  tables: BenchTable[];
}

interface FailureCounts {
  errors: number;
  firstError?: string | undefined;
}

/** Adds a note when any of `results` had failed requests; returns the total count. */
export function noteErrors(context: BenchContext, label: string, results: readonly FailureCounts[]): number {
  const errors = results.reduce((sum, result) => sum + result.errors, 0);
  const first = results.find((result) => result.firstError !== undefined)?.firstError;
  if (errors > 0) context.notes.push(`${label}: ${errors} failed requests; first: ${first ?? 'unknown'}`);
  return errors;
}
