import { flushLogs } from '../observability/create-logger.ts';
import type { LineSink } from '../observability/secret-scrubbing-stream.ts';

/**
 * What a serving llmux needs from the process it runs in: the stop signals, a way to end, and
 * where its log lines go. The real process's by default; tests pass a stand-in to run `serve`
 * inside the test process and stop it without ending the test run.
 */
export interface ServeProcess {
  /** Calls `listener` for each SIGTERM and SIGINT. */
  onStopSignal(listener: (signal: NodeJS.Signals) => void): void;
  /** Ends llmux with `code`. */
  exit(code: number): void;
  /** Where log lines go (unset: stdout). */
  logSink?: LineSink;
}

/** The real process: its signals, and process.exit after the buffered logs are written. */
export const REAL_SERVE_PROCESS: ServeProcess = {
  onStopSignal(listener) {
    process.on('SIGTERM', listener);
    process.on('SIGINT', listener);
  },
  exit(code) {
    flushLogs();
    process.exit(code);
  },
};
