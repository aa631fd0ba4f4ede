import { Pool } from 'undici';
import { checkFuzzAnswer } from './check-fuzz-answer.ts';
import type { FuzzRoute } from './fuzz-routes.ts';
import { mutateRequest, type FuzzCase } from './mutate-request.ts';
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
export async function runFuzz(
  baseUrl: string,
  routes: readonly FuzzRoute[],
  options: {
    count: number;
    seed: number;
    /** The first case number (`--case N` replays case N alone: from N, count 1). */
    from?: number;
    concurrency?: number;
    onProgress?: (done: number) => void;
    /** Told when each case is sent and when it is answered (the watchdog in scripts/fuzz.ts). */
    onCase?: (event: { route: string; caseNumber: number; mutations: string[]; answered: boolean }) => void;
    /** Told every answer, for `--case`. */
    onAnswer?: (route: string, caseNumber: number, fuzzCase: FuzzCase, status: string, text: string) => void;
  },
): Promise<FuzzReport> {
  const pool = new Pool(baseUrl, { connections: options.concurrency ?? 8, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const report: FuzzReport = { cases: 0, statuses: {}, failures: [] };
  try {
    const end = (options.from ?? 0) + options.count;
    for (const route of routes) {
      const counts: Record<string, number> = {};
      report.statuses[route.path] = counts;
      let next = options.from ?? 0;
      const worker = async (): Promise<void> => {
        while (next < end) {
          const caseNumber = next++;
          // One generator per case: a failure is replayed from its seed, route and number alone.
          const random = new SeededRandom(fuzzCaseSeed(options.seed, route.path, caseNumber));
          const seed = { model: random.pick(route.models), ...random.pick(route.seeds) };
          const fuzzCase = mutateRequest(seed, random);
          const headers: Record<string, string> = {};
          if (fuzzCase.contentType !== undefined) headers['content-type'] = fuzzCase.contentType;
          let problem: string | undefined;
          let key: string;
          let text = '';
          options.onCase?.({ route: route.path, caseNumber, mutations: fuzzCase.mutations, answered: false });
          try {
            const answer = await pool.request({ method: 'POST', path: route.path, headers, body: fuzzCase.body });
            text = await answer.body.text();
            key = String(answer.statusCode);
            problem = checkFuzzAnswer(route.protocol, answer.statusCode, answer.headers, text);
          } catch (error) {
            key = 'reset';
            problem = `no answer: ${error instanceof Error ? error.message : String(error)}`;
          }
          options.onCase?.({ route: route.path, caseNumber, mutations: fuzzCase.mutations, answered: true });
          options.onAnswer?.(route.path, caseNumber, fuzzCase, key, text);
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

/**
 * The generator seed of one case, from the run's seed, the route's path (not its place in the
 * list, so a run of one route or a route added later changes no other route's cases) and the case
 * number: `npm run fuzz -- --seed S --route R --case N` replays it.
 */
export function fuzzCaseSeed(seed: number, routePath: string, caseNumber: number): number {
  let route = 0x811c9dc5;
  for (let index = 0; index < routePath.length; index++) route = Math.imul(route ^ routePath.charCodeAt(index), 0x01000193);
  return (Math.imul(seed, 0x9e3779b1) ^ Math.imul(route >>> 0, 0x85ebca6b) ^ Math.imul(caseNumber + 1, 0xc2b2ae35)) >>> 0;
}
