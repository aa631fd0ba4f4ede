// `npm test`: the type check and every test file at once, two test files at a time, the longest
// first so that no long file starts last and runs alone; Node's compile cache shared by the test
// processes (node_modules/.cache), so the modules every file imports are compiled once, not per file.
// `npm test -- FILE…` runs only those files (still type-checked).
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/**
 * Files that take longest, started first: the browser test, and those whose real processes wait
 * on signals and drains. Measured with `node --test --test-reporter=spec FILE` (see README).
 */
const LONGEST_FIRST = [
  'test/dashboard-ui.test.ts',
  'test/cli-npm-start.test.ts',
  'test/cli-shutdown.test.ts',
  'test/cli-heap-defaults.test.ts',
  'test/cli-serve.test.ts',
];

function testFiles(): string[] {
  const all = [...globSync('src/**/*.test.ts', { cwd: root }), ...globSync('test/**/*.test.ts', { cwd: root })].sort();
  const first = LONGEST_FIRST.filter((file) => all.includes(file));
  return [...first, ...all.filter((file) => !first.includes(file))];
}

function run(command: string, args: string[], options: { capture: boolean }): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NODE_COMPILE_CACHE: join(root, 'node_modules', '.cache', 'node-compile') },
      stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), output }));
  });
}

const chosen = process.argv.slice(2);
const typecheck = run(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], { capture: true });
const tests = await run(process.execPath, ['--test', '--test-concurrency=2', ...(chosen.length > 0 ? chosen : testFiles())], { capture: false });
const typed = await typecheck;
if (typed.code !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${typed.output}`);
process.exitCode = tests.code !== 0 ? tests.code : typed.code;
