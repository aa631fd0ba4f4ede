import { runCli } from '../src/cli/run-cli.ts';

export interface CapturedRun {
  code: number;
  /** What was printed on stdout, one line each. */
  stdout: string;
  /** Notices (stderr), one line each. */
  stderr: string;
}

/** Runs `llmux ARGS` in this process with an injected environment and working directory. */
export async function runCliCaptured(argv: readonly string[], options: { environment?: Record<string, string>; cwd: string }): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    environment: options.environment ?? {},
    cwd: options.cwd,
    print: (line) => (stdout += `${line}\n`),
    notice: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}
