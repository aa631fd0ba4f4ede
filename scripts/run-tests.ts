// `npm test`: the type check and every test file, in four processes at once: tsc, the unit tests
// of src/, and the end-to-end tests of test/ split in two halves (the longest files dealt out
// first, so that neither half ends long after the other). Each test process imports its files
// into itself (`--test-isolation=none`) rather than starting a process per file: the modules
// nearly every file imports (fastify, zod, the SDKs, the gateway) load once per process instead
// of once per file, which was most of the suite's time. Node's compile cache
// (node_modules/.cache/) is shared by these and the llmux processes tests start.
// Progress shows live as dots (one per test, X for a failure); each process's full report is
// printed when it ends, then the totals.
// `npm test -- FILE…` runs only those files, each in a process of its own, and the type check.
import { spawn } from 'node:child_process';
import { globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const reports = mkdtempSync(join(tmpdir(), 'llmux-test-reports-'));
let reportCount = 0;

/**
 * The files that take longest (real processes waiting on signals and drains, the browser, the
 * fuzzer), dealt out first. Measured one file at a time with `node --test FILE` (see README).
 */
const LONGEST_FIRST = [
  'test/dashboard-ui.test.ts',
  'test/fuzz-ingress.test.ts',
  'test/cli-shutdown.test.ts',
  'test/cli-npm-start.test.ts',
  'test/cli-heap-defaults.test.ts',
  'test/cli-serve.test.ts',
  'test/hardening-points.test.ts',
  'test/ollama-broken-upstream.test.ts',
];

interface Finished {
  name: string;
  code: number;
  output: string;
}

/** Runs a command; a test run's dots go to this terminal, its spec report to a file read at the end. */
function run(name: string, command: string, args: string[], report?: string): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NODE_COMPILE_CACHE: join(root, 'node_modules', '.cache', 'node-compile') },
      stdio: ['ignore', report === undefined ? 'pipe' : 'inherit', 'pipe'],
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.once('close', (code, signal) => {
      let text = output;
      if (report !== undefined) {
        try {
          text = `${readFileSync(report, 'utf8')}${output}`;
        } catch {
          // No report: the process died before writing one; its stderr says why.
        }
      }
      resolve({ name, code: code ?? (signal === null ? 1 : 128), output: text });
    });
  });
}

/** `node --test` over `files`, with live dots and a spec report in a file. */
function testRun(name: string, files: string[], isolation: 'none' | 'process'): Promise<Finished> {
  const report = join(reports, `${++reportCount}.txt`);
  const reporters = ['--test-reporter=dot', '--test-reporter-destination=stdout', '--test-reporter=spec', `--test-reporter-destination=${report}`];
  const concurrency = isolation === 'process' ? ['--test-concurrency=2'] : [];
  return run(name, process.execPath, ['--test', `--test-isolation=${isolation}`, ...concurrency, ...reporters, ...files], report);
}

/** The end-to-end test files in two halves of about equal length, the longest dealt out first. */
function endToEndHalves(): [string[], string[]] {
  const all = globSync('test/**/*.test.ts', { cwd: root }).sort();
  const first = LONGEST_FIRST.filter((file) => all.includes(file));
  const ordered = [...first, ...all.filter((file) => !first.includes(file))];
  return [ordered.filter((_, index) => index % 2 === 0), ordered.filter((_, index) => index % 2 === 1)];
}

const chosen = process.argv.slice(2);
const [half1, half2] = endToEndHalves();
const runs: Promise<Finished>[] = [
  run('tsc --noEmit', join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.']),
  ...(chosen.length > 0
    ? [testRun(chosen.join(' '), chosen, 'process')]
    : [
        testRun('src/ (unit tests)', globSync('src/**/*.test.ts', { cwd: root }).sort(), 'none'),
        testRun('test/ (first half)', half1, 'none'),
        testRun('test/ (second half)', half2, 'none'),
      ]),
];

const totals = new Map<string, number>();
let failed = false;
await Promise.all(
  runs.map(async (pending) => {
    const finished = await pending;
    failed ||= finished.code !== 0;
    if (finished.name.startsWith('tsc')) {
      process.stdout.write(finished.code === 0 ? 'tsc --noEmit: no type errors\n' : `tsc --noEmit failed:\n${finished.output}`);
      return;
    }
    process.stdout.write(`\n── ${finished.name} ──\n${finished.output}`);
    for (const [, name, count] of finished.output.matchAll(/^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) {
      totals.set(name ?? '', (totals.get(name ?? '') ?? 0) + Number(count));
    }
  }),
);
process.stdout.write(`\nall test processes: ${[...totals].map(([name, count]) => `${name} ${count}`).join(', ')}${failed ? ' — FAILED' : ''}\n`);
rmSync(reports, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
