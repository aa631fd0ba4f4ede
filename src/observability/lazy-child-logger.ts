import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import { DIRECT_LOG_LINE, directLogLine, type DirectLogLine } from './direct-log-line.ts';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Fastify's per-request logger (`request.log`), made only when something logs through it. Fastify
 * makes a pino child with the request id for every request (an object, its formatters and its
 * bindings string: about 0.4 KB); most requests write nothing through it but the access line,
 * which goes past pino (writeAccessLogLine). Until a call at an enabled level, this stands in for
 * the child: its level is the parent's, a call at a disabled level is dropped as pino would drop
 * it, and the child is made with the same bindings and options Fastify would have passed.
 */
class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }

  /** The writer of whole lines that the parent has (see directLogLine). */
  get [DIRECT_LOG_LINE](): DirectLogLine | undefined {
    return directLogLine(this.#parent as FastifyBaseLogger);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#made().child(bindings, options);
  }

  fatal(): void {
    // `arguments` passed on as they are: no array is made for a call that is dropped.
    this.#log('fatal', arguments);
  }

  error(): void {
    this.#log('error', arguments);
  }

  warn(): void {
    this.#log('warn', arguments);
  }

  info(): void {
    this.#log('info', arguments);
  }

  debug(): void {
    this.#log('debug', arguments);
  }

  trace(): void {
    this.#log('trace', arguments);
  }

  silent(): void {}

  #log(level: Level, args: IArguments): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return;
    const child = this.#made();
    Reflect.apply(child[level], child, args);
  }

  #made(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }
}

/**
 * Fastify's `childLoggerFactory`: a lazily made child, or pino's own child at once when the route
 * sets its own level or serializers (the child then differs from its parent from the start).
 */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined || options.redact !== undefined || options.customLevels !== undefined) return logger.child(bindings, options);
  // The stand-in has every method and property FastifyBaseLogger names; TypeScript cannot see
  // that pino's overloaded LogFn is met by a method that passes `arguments` on.
  return new LazyChildLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger;
}
