import { CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';
import { createCliProgram } from './create-cli-program.ts';

/**
 * Runs one `llmux` command line and returns its exit code. Failures the user can fix (config
 * problems, a port in use, a refused open listen) are printed as plain lines with no stack trace.
 * `serve` returns 0 once listening; the process then lives until a signal stops it.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  // `-v` was the version flag before `-V` (commander's and most CLIs' spelling); both work.
  const args = argv.length === 1 && argv[0] === '-v' ? ['--version'] : [...argv];
  try {
    await createCliProgram(context).parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      context.notice(`llmux: ${error.message}`);
      return 1;
    }
    if (error instanceof CliFailure) {
      context.notice(`llmux: ${error.message}`);
      return error.exitCode;
    }
    // By name: importing StartServerError would load the whole server for every command.
    if (error instanceof Error && error.name === 'StartServerError') {
      context.notice(`llmux: ${error.message}`);
      return 1;
    }
    // A GatewayError is a condition llmux describes itself (by name: importing it here would load
    // the canonical model for every command); anything else is a bug, worth its stack trace.
    if (error instanceof Error && error.name === 'GatewayError') {
      context.notice(`llmux: ${error.message}`);
      return 1;
    }
    context.notice(`llmux: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
