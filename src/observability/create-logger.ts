import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { LogFormat } from './log-format.ts';
import { ANSI_COLOURS, NO_COLOURS, prettyLogLine } from './pretty-log-line.ts';
import { boundLogFields, MAX_LOG_STRING } from './bound-log-fields.ts';
import { clipText } from '../canonical/quote-client-text.ts';
import { secretScrubbingStream, type LineSink } from './secret-scrubbing-stream.ts';

type Destination = ReturnType<typeof pino.destination>;
const destinations = new Set<Destination>();

/** Lines gather until this many bytes are waiting (about 25 access lines), then go out in one write. */
const LOG_BATCH_BYTES = 12 * 1024;
/** Longest a line waits in the buffer when the server is quiet. */
const LOG_FLUSH_MS = 100;

/**
 * The process logger on stdout (pino): JSON lines, or readable ones (`format: 'pretty'`). Writes
 * are asynchronous and batched: lines gather until 12 KiB are waiting or 100 ms have passed, then
 * go out in one write, so a request costs no write of its own (a write per line, even
 * asynchronous, is a thread-pool hand-off and a wake-up: about 4 system calls per request).
 * Whatever is buffered is written out when the process exits.
 * Keys are redacted where they could appear: logged headers and provider configs; and every
 * `secrets` value (the configured client and provider keys) is scrubbed from each line, wherever it is.
 */
export function createLogger(level: string, format: LogFormat = 'json', secrets: readonly string[] = [], sink?: LineSink): FastifyBaseLogger {
  const destination = sink ?? stdoutDestination();
  // Readable lines: each JSON line pino makes is rewritten before it reaches the destination.
  const colours = process.stdout.isTTY === true && process.env.NO_COLOR === undefined ? ANSI_COLOURS : NO_COLOURS;
  const target: LineSink = format === 'pretty' ? { write: (line: string) => destination.write(prettyLogLine(line, colours)) } : destination;
  return pino(
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
}

function stdoutDestination(): Destination {
  const destination = pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
  if (destinations.size === 0) process.once('exit', flushLogs);
  destinations.add(destination);
  return destination;
}

/** Writes out buffered log lines now (on shutdown, before the process exits). */
export function flushLogs(): void {
  for (const destination of destinations) {
    try {
      destination.flushSync();
    } catch {
      // Not yet open, or stdout already closed: nothing more can be written.
    }
  }
}
