import { parseArgs } from 'node:util';
import { FUZZ_ROUTES } from '../test-support/fuzz/fuzz-routes.ts';
import { runFuzz } from '../test-support/fuzz/run-fuzz.ts';
import { startFuzzGateway } from '../test-support/fuzz/start-fuzz-gateway.ts';
import { startFuzzWatchdog } from '../test-support/fuzz/fuzz-watchdog.ts';

/**
 * `npm run fuzz -- --count 100000 [--seed 1] [--route /api/chat] [--concurrency 8]`: that many
 * mutated requests in all, spread over the ingress routes, against llmux with fake upstreams;
 * prints the status counts per route and every failure (5xx, a 4xx not in the protocol's error
 * shape, no answer). Exits 1 on any failure or when llmux is not healthy afterwards. When no case
 * is answered for `--stall-seconds` (30), the cases in flight are printed. `--seed S --route R
 * --case N` replays one case and prints its request and answer.
 */
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '9000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    route: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    case: { type: 'string' },
    'stall-seconds': { type: 'string', default: '30' },
  },
});
const routes = values.route === undefined ? FUZZ_ROUTES : FUZZ_ROUTES.filter((route) => route.path === values.route);
if (routes.length === 0) throw new Error(`no fuzz route ${values.route}`);
const replay = values.case === undefined ? undefined : Number(values.case);
if (replay !== undefined && values.route === undefined) throw new Error('--case needs --route');
const total = Number(values.count);
const perRoute = replay === undefined ? Math.ceil(total / routes.length) : 1;
const seed = Number(values.seed);
const fuzz = await startFuzzGateway();
const watchdog = startFuzzWatchdog(Number(values['stall-seconds']) * 1000);
const started = performance.now();
process.stdout.write(`fuzzing ${routes.length} routes, ${perRoute} cases each, seed ${seed}\n`);
const report = await runFuzz(fuzz.gateway.baseUrl, routes, {
  count: perRoute,
  seed,
  ...(replay === undefined ? {} : { from: replay }),
  concurrency: Number(values.concurrency),
  onProgress: (done) => {
    if (done % 5000 === 0) process.stdout.write(`  ${done} cases, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  },
  onCase: (event) => (event.answered ? watchdog.caseAnswered(event.route, event.caseNumber) : watchdog.caseSent(event.route, event.caseNumber, event.mutations)),
  onAnswer: (route, caseNumber, fuzzCase, status, text) => {
    if (replay === undefined) return;
    const body = fuzzCase.body.toString('utf8');
    process.stdout.write(`${route} case ${caseNumber} [${fuzzCase.mutations.join('; ')}], content-type ${fuzzCase.contentType ?? 'none'}, ${fuzzCase.body.length} bytes:\n  ${body.slice(0, 2000)}${body.length > 2000 ? '…' : ''}\nanswer ${status}: ${text.slice(0, 2000)}\n`);
  },
});
await watchdog.stop();
const health = await fetch(`${fuzz.gateway.baseUrl}/health`);
const polluted = Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>).polluted !== undefined;
const rss = process.memoryUsage().rss;
await fuzz.close();

process.stdout.write(`\n${report.cases} cases in ${((performance.now() - started) / 1000).toFixed(1)} s, seed ${seed}\n\n| route | statuses |\n|---|---|\n`);
const totals: Record<string, number> = {};
for (const [path, counts] of Object.entries(report.statuses)) {
  const sorted = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  for (const [status, count] of sorted) totals[status] = (totals[status] ?? 0) + count;
  process.stdout.write(`| ${path} | ${sorted.map(([status, count]) => `${status}: ${count}`).join(', ')} |\n`);
}
process.stdout.write(`| all | ${Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)).map(([status, count]) => `${status}: ${count}`).join(', ')} |\n\n`);
process.stdout.write(`failures: ${report.failures.length}; /health afterwards: ${health.status}; prototype polluted: ${polluted}; process RSS ${(rss / 1024 / 1024).toFixed(0)} MB\n`);
for (const failure of report.failures.slice(0, 50)) process.stdout.write(`  ${failure.route} case ${failure.caseNumber} [${failure.mutations.join('; ')}]: ${failure.problem}\n`);
process.exitCode = report.failures.length === 0 && health.status === 200 && !polluted ? 0 : 1;
