import { runCli } from '../src/cli/run-cli.ts';

/**
 * `llmux ARGS` run inside the test process, with the same surface as LlmuxProcess: its notices
 * (stderr) and log lines (stdout) so far, the listening URL, and its exit. `serve` gets a
 * stand-in process: `signal` delivers SIGTERM or SIGINT to it as the real process would, and its
 * exit code is what llmux would have exited with. For what needs a real process (signals from
 * outside, npm start, process flags) use LlmuxProcess.
 */
export class InProcessLlmux {
  stdout = '';
  stderr = '';
  /** The exit code: `serve`'s once it stopped, any other command's (or a failed start's) once it returned. */
  readonly exited: Promise<{ code: number }>;
  private readonly returned: Promise<number>;
  private stopListener: ((signal: NodeJS.Signals) => void) | undefined;
  private ended = false;
  private readonly waiters: (() => void)[] = [];

  constructor(args: readonly string[], options: { env?: Record<string, string>; cwd: string }) {
    let exitServe: (code: number) => void = () => {};
    const served = new Promise<number>((resolve) => (exitServe = resolve));
    const returned = (this.returned = runCli(args, {
      environment: options.env ?? {},
      cwd: options.cwd,
      print: (line) => this.append('stdout', line),
      notice: (line) => this.append('stderr', line),
      serveProcess: {
        onStopSignal: (listener) => (this.stopListener = listener),
        exit: exitServe,
        logSink: { write: (line: string) => this.append('stdout', line.replace(/\n$/, '')) },
      },
    }));
    this.exited = returned.then(async (code) => ({ code: code === 0 && this.stopListener !== undefined ? await served : code }));
    void this.exited.then(() => {
      this.ended = true;
      this.notify();
    });
  }

  /** Resolves with the first match of `pattern` in stderr; rejects if llmux ended first. */
  async waitForStderr(pattern: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const match = pattern.exec(this.stderr);
      if (match !== null) return match;
      if (this.ended) throw new Error(`llmux ended before printing ${pattern}\nstderr:\n${this.stderr}\nstdout:\n${this.stdout}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for the listening line and returns the URL it names. */
  async listening(): Promise<string> {
    const match = await this.waitForStderr(/llmux listening on (http:\/\/\S+) /);
    return match[1] ?? '';
  }

  /** Delivers a stop signal to the serving llmux, as the real process's SIGTERM or Ctrl-C would. */
  signal(signal: 'SIGTERM' | 'SIGINT'): void {
    if (this.stopListener === undefined) throw new Error('llmux is not serving');
    this.stopListener(signal);
  }

  /** Stops a serving llmux if it still runs, and waits for it (for after-hooks). */
  async stop(): Promise<void> {
    await this.returned;
    if (!this.ended && this.stopListener !== undefined) this.stopListener('SIGTERM');
    await this.exited;
  }

  private append(stream: 'stdout' | 'stderr', line: string): void {
    this[stream] += `${line}\n`;
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
