import { Pool } from 'undici';
import { checkFuzzAnswer } from './check-fuzz-answer.ts';
import type { FuzzRoute } from './fuzz-routes.ts';
import { mutateRequest } from './mutate-request.ts';
import { SeededRandom } from './seeded-random.ts';

export interface FuzzFailure {
  route: string;
  caseNumber: number;
  mutations: string[];
  problem: string;
}

export interface FuzzReport {
  cases: number;
  /** Per route, how many answers had each status ("reset" for a connection that failed). */
  statuses: Record<string, Record<string, number>>;
  failures: FuzzFailure[];
}

/**
 * Sends `count` mutated requests to each route (`concurrency` at a time, over real sockets: header
 * validation and hijacked streams behave as in production) and checks every answer.
 */
export async function runFuzz(baseUrl: string, routes: readonly FuzzRoute[], options: { count: number; seed: number; concurrency?: number; onProgress?: (done: number) => void }): Promise<FuzzReport> {
  const pool = new Pool(baseUrl, { connections: options.concurrency ?? 8, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const report: FuzzReport = { cases: 0, statuses: {}, failures: [] };
  try {
    for (const [routeIndex, route] of routes.entries()) {
      const counts: Record<string, number> = {};
      report.statuses[route.path] = counts;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < options.count) {
          const caseNumber = next++;
          // One generator per case: a failure is replayed from its seed and number alone.
          const random = new SeededRandom(fuzzCaseSeed(options.seed, routeIndex, caseNumber));
          const seed = { model: random.pick(route.models), ...random.pick(route.seeds) };
          const fuzzCase = mutateRequest(seed, random);
          const headers: Record<string, string> = {};
          if (fuzzCase.contentType !== undefined) headers['content-type'] = fuzzCase.contentType;
          let problem: string | undefined;
          let key: string;
          try {
            const answer = await pool.request({ method: 'POST', path: route.path, headers, body: fuzzCase.body });
            const text = await answer.body.text();
            key = String(answer.statusCode);
            problem = checkFuzzAnswer(route.protocol, answer.statusCode, answer.headers, text);
          } catch (error) {
            key = 'reset';
            problem = `no answer: ${error instanceof Error ? error.message : String(error)}`;
          }
          counts[key] = (counts[key] ?? 0) + 1;
          report.cases++;
          if (problem !== undefined) report.failures.push({ route: route.path, caseNumber, mutations: fuzzCase.mutations, problem });
          options.onProgress?.(report.cases);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    }
  } finally {
    await pool.close();
  }
  return report;
}

/** The generator seed of one case: `npm run fuzz -- --seed S --route R --case N` replays it. */
export function fuzzCaseSeed(seed: number, routeIndex: number, caseNumber: number): number {
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(routeIndex + 1, 0x85ebca6b) ^ Math.imul(caseNumber + 1, 0xc2b2ae35)) >>> 0;
}
