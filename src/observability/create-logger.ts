import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { LogFormat } from './log-format.ts';
import { ANSI_COLOURS, NO_COLOURS, prettyLogLine } from './pretty-log-line.ts';
import { boundLogFields, MAX_LOG_STRING } from './bound-log-fields.ts';
import { clipText } from '../canonical/quote-client-text.ts';
import { secretScrubber, secretScrubbingStream, type LineSink } from './secret-scrubbing-stream.ts';
import { BatchedLineSink } from './batched-line-sink.ts';
import { attachDirectLogLine } from './direct-log-line.ts';
import { writeDeferredLogLinesNow } from './deferred-log-lines.ts';

/** The one sink on stdout, shared by every logger of the process (one order of lines, one exit flush). */
let stdoutSink: BatchedLineSink | undefined;

/**
 * The process logger on stdout (pino): JSON lines, or readable ones (`format: 'pretty'`). Writes
 * are batched (BatchedLineSink): lines gather until 12 KiB are waiting or 100 ms have passed, then
 * go out in one write, so a request costs no write of its own. Whatever is buffered is written out
 * when the process exits. Lines built whole by their caller (the access line) reach the same
 * scrubbing, formatting and sink through directLogLine, past pino's string building.
 * Keys are redacted where they could appear: logged headers and provider configs; and every
 * `secrets` value (the configured client and provider keys) is scrubbed from each line, wherever it is.
 */
export function createLogger(level: string, format: LogFormat = 'json', secrets: readonly string[] = [], sink?: LineSink): FastifyBaseLogger {
  const destination = sink ?? stdoutLineSink();
  // Readable lines: each JSON line pino makes is rewritten before it reaches the destination.
  const colours = process.stdout.isTTY === true && process.env.NO_COLOR === undefined ? ANSI_COLOURS : NO_COLOURS;
  const target: LineSink = format === 'pretty' ? { write: (line: string) => destination.write(prettyLogLine(line, colours)) } : destination;
  const scrub = secretScrubber(secrets);
  const logger = pino(
    {
      level,
      // No field or message grows with what a client sent (see boundLogFields).
      formatters: { log: boundLogFields },
      hooks: {
        logMethod(args, method) {
          // Copied only when a string is too long: most lines have none.
          let bounded: typeof args | undefined;
          for (let index = 0; index < args.length; index++) {
            const arg: unknown = args[index];
            if (typeof arg === 'string' && arg.length > MAX_LOG_STRING) {
              bounded ??= [...args];
              bounded[index] = clipText(arg, MAX_LOG_STRING);
            }
          }
          method.apply(this, (bounded ?? args) as Parameters<typeof method>);
        },
      },
      redact: {
        paths: ['headers.authorization', 'headers["x-api-key"]', 'config.providers[*].api_key', 'config.providers[*].api_keys', 'config.keys[*].key'],
        censor: '[redacted]',
      },
    },
    secretScrubbingStream(target, secrets),
  );
  // A whole JSON line from its caller (no newline yet): scrubbed as one flat string, then written with its newline.
  attachDirectLogLine(logger, (json) => {
    const clean = scrub === undefined ? json : scrub(json);
    if (format === 'pretty') destination.write(prettyLogLine(clean, colours));
    else if (destination instanceof BatchedLineSink) destination.writeLine(clean);
    else destination.write(`${clean}\n`);
  });
  return logger;
}

function stdoutLineSink(): BatchedLineSink {
  if (stdoutSink === undefined) {
    stdoutSink = new BatchedLineSink(1);
    process.once('exit', flushLogs);
  }
  return stdoutSink;
}

/** Writes out buffered log lines now, the access lines still deferred first (on shutdown, before the process exits). */
export function flushLogs(): void {
  writeDeferredLogLinesNow();
  stdoutSink?.flushSync();
}
