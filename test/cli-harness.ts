import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CliRunOptions {
  /** The whole environment of the child besides PATH (and HOME for npm, and the compile cache): nothing else leaks in from the test run. */
  env?: Record<string, string>;
  cwd: string;
  /**
   * Run as `npm start -- ARGS` from the project root (cwd is then ignored), in a process group of
   * its own, as a terminal runs it: `signalGroup` reaches npm and llmux alike, like Ctrl-C.
   */
  viaNpmStart?: boolean;
}

/** A running `llmux …` process with its output so far. */
export class LlmuxProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly grouped: boolean;
  private readonly waiters: (() => void)[] = [];

  constructor(args: readonly string[], options: CliRunOptions) {
    this.grouped = options.viaNpmStart === true;
    // Node's compile cache (set by npm test) is shared too: it changes how fast llmux starts, not what it does.
    const compileCache = process.env.NODE_COMPILE_CACHE === undefined ? {} : { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE };
    const env = { PATH: process.env.PATH ?? '', ...compileCache, ...options.env };
    this.child =
      options.viaNpmStart === true
        ? spawn('npm', ['start', '--', ...args], {
            cwd: PROJECT_ROOT,
            env: { ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }), ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: true,
          })
        : spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      this.stdout += text;
      this.notify();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr += text;
      this.notify();
    });
    // npm's own exit: llmux shares its output pipes, so a llmux that outlives npm would hold 'close' back.
    const ended = options.viaNpmStart === true ? 'exit' : 'close';
    this.exited = new Promise((resolve) => this.child.once(ended, (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })));
    void this.exited.then(() => this.notify());
  }

  /** Resolves with the first match of `pattern` in stderr; rejects if the process exits first. */
  async waitForStderr(pattern: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const match = pattern.exec(this.stderr);
      if (match !== null) return match;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`llmux exited (${this.child.exitCode ?? this.child.signalCode}) before printing ${pattern}\nstderr:\n${this.stderr}\nstdout:\n${this.stdout}`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for the listening line and returns the URL it names. */
  async listening(): Promise<string> {
    const match = await this.waitForStderr(/llmux listening on (http:\/\/\S+) /);
    return match[1] ?? '';
  }

  /** Sends `signal` to the child's whole process group (only for `viaNpmStart`), as a terminal's Ctrl-C does. */
  signalGroup(signal: NodeJS.Signals): void {
    if (!this.grouped || this.child.pid === undefined) throw new Error('only a viaNpmStart process has a group of its own');
    process.kill(-this.child.pid, signal);
  }

  /** Stops the process (and with `viaNpmStart` its whole group) if it still runs (for after-hooks). */
  async stop(): Promise<void> {
    if (this.grouped) {
      try {
        this.signalGroup('SIGKILL');
      } catch {
        // The group is gone: nothing is left running.
      }
    } else if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Runs `llmux …` to completion. */
export async function runLlmux(args: readonly string[], options: CliRunOptions): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const process = new LlmuxProcess(args, options);
  const { code } = await process.exited;
  return { code, stdout: process.stdout, stderr: process.stderr };
}

export async function makeTemporaryDirectory(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'llmux-cli-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
