import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';

/** The property a logger (or its lazy stand-in, see lazyChildLogger) holds its DirectLogLine under. */
export const DIRECT_LOG_LINE = Symbol('llmux.directLogLine');

/**
 * Where a logger made by createLogger sends its finished lines, for a caller that builds a whole
 * JSON line itself (the access line) rather than have pino build it: the same secret scrubbing,
 * pretty printing and sink as pino's own lines, in the same order.
 */
export interface DirectLogLine {
  /** Whether `logger` (the one the writer was found on, or a child of it) writes lines at `level`. */
  enabled(logger: FastifyBaseLogger, level: 'info' | 'debug'): boolean;
  /** Writes one finished JSON line (without its newline: it is added on the way out). */
  write(json: string): void;
}

/** Attaches the direct writer to a pino logger; its children (Object.create of it) inherit it. */
export function attachDirectLogLine(logger: Logger, write: (json: string) => void): void {
  const direct: DirectLogLine = {
    enabled: (child, level) => (child as Logger).isLevelEnabled(level),
    write,
  };
  Object.defineProperty(logger, DIRECT_LOG_LINE, { value: direct, enumerable: false });
}

/** The direct writer of a logger made by createLogger (or of its child); undefined for any other logger. */
export function directLogLine(logger: FastifyBaseLogger): DirectLogLine | undefined {
  return (logger as { [DIRECT_LOG_LINE]?: DirectLogLine })[DIRECT_LOG_LINE];
}
