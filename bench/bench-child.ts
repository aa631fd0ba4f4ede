import { fork, type ChildProcess } from 'node:child_process';
import type { z } from 'zod';

/**
 * A bench helper process (fake upstream, load generator) forked with an IPC channel, on the same
 * Node as the orchestrator. Messages are queued until someone asks for one of the expected shape.
 */
export class BenchChild {
  readonly name: string;
  readonly process: ChildProcess;
  private readonly inbox: unknown[] = [];
  private wake: (() => void) | undefined;
  private exited = false;

  /** `options`: Node flags added to the orchestrator's own, and environment variables added to its environment. */
  constructor(name: string, modulePath: string, args: readonly string[] = [], options: { execArgv?: readonly string[]; env?: Record<string, string> } = {}) {
    this.name = name;
    this.process = fork(modulePath, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
    });
    this.process.on('message', (message: unknown) => {
      this.inbox.push(message);
      this.wake?.();
    });
    this.process.once('exit', () => {
      this.exited = true;
      this.wake?.();
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  send(message: unknown): void {
    this.process.send(message as Parameters<ChildProcess['send']>[0]);
  }

  /** The next message matching `schema` (others stay queued); rejects on timeout or exit. */
  async receive<T>(schema: z.ZodType<T>, timeoutMs: number): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((message) => schema.safeParse(message).success);
      if (index >= 0) return schema.parse(this.inbox.splice(index, 1)[0]);
      const failureIndex = this.inbox.findIndex(isJobFailure);
      if (failureIndex >= 0) {
        const [failure] = this.inbox.splice(failureIndex, 1);
        throw new Error(`${this.name}: ${isJobFailure(failure) ? failure.message : 'job failed'}`);
      }
      if (this.exited) throw new Error(`${this.name} exited unexpectedly`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${this.name} did not answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (this.process.connected) this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

function isJobFailure(message: unknown): message is { type: 'job-failed'; message: string } {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === 'job-failed' && 'message' in message;
}
