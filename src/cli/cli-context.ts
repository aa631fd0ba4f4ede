import type { Environment } from '../config/config-from-environment.ts';
import type { ServeProcess } from './serve-process.ts';

/** What a command reads and where it writes; main.ts passes the real process's. */
export interface CliContext {
  environment: Environment;
  cwd: string;
  /** Results (tables, lists) on stdout. */
  print(line: string): void;
  /** Notices, warnings and errors for a human, on stderr (stdout carries JSON logs when serving). */
  notice(line: string): void;
  /** The process `serve` lives in (unset: the real one); tests run `serve` in process with a stand-in. */
  serveProcess?: ServeProcess;
}
