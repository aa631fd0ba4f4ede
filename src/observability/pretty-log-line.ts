/** ANSI colours, or none (a file, NO_COLOR). */
export interface LogColours {
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[39m`;
export const ANSI_COLOURS: LogColours = { dim: (text) => `\u001b[2m${text}\u001b[22m`, red: ansi(31), yellow: ansi(33), green: ansi(32), cyan: ansi(36) };
export const NO_COLOURS: LogColours = { dim: (text) => text, red: (text) => text, yellow: (text) => text, green: (text) => text, cyan: (text) => text };

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields and the access line's fields shown in its own layout: not repeated as key=value. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'err']);

/**
 * One pino JSON line as one line a person reads. A request line:
 * `12:03:04 200 POST /v1/chat/completions gpt-4o → poe/GPT-4o alice 120→45 tok ttft 230 ms 1.25 s stream`;
 * any other line: time, level, message and its small fields as key=value; an error's stack below.
 */
export function prettyLogLine(json: string, colours: LogColours = NO_COLOURS): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = colours.dim(clock(entry.time));
  const level = typeof entry.level === 'number' ? entry.level : 30;
  if (entry.msg === 'request' && typeof entry.status === 'number') return `${time} ${requestLine(entry, colours)}\n`;
  const label = LEVELS[level] ?? String(level);
  const coloured = level >= 50 ? colours.red(label) : level >= 40 ? colours.yellow(label) : level >= 30 ? colours.cyan(label) : colours.dim(label);
  const extras = Object.entries(entry)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined && (typeof value !== 'object' || value === null))
    .map(([key, value]) => colours.dim(`${key}=${typeof value === 'number' ? roundNumber(value) : String(value)}`));
  let line = `${time} ${coloured} ${String(entry.msg ?? '')}${extras.length > 0 ? ` ${extras.join(' ')}` : ''}\n`;
  const error = entry.err as { stack?: unknown } | undefined;
  if (level >= 50 && typeof error?.stack === 'string') line += `${error.stack.replace(/^/gm, '    ')}\n`;
  return line;
}

function requestLine(entry: Record<string, unknown>, colours: LogColours): string {
  const status = entry.status as number;
  const statusText = status >= 500 ? colours.red(String(status)) : status >= 400 ? colours.yellow(String(status)) : colours.green(String(status));
  const parts = [statusText, `${String(entry.method ?? '')} ${String(entry.url ?? '')}`];
  const requested = typeof entry.model === 'string' ? entry.model : undefined;
  const upstream = typeof entry.upstreamModel === 'string' ? entry.upstreamModel : requested === undefined && typeof entry.model === 'string' ? entry.model : undefined;
  if (typeof entry.provider === 'string') parts.push(`${requested ?? '?'} → ${entry.provider}/${upstream ?? '?'}`);
  else if (requested !== undefined) parts.push(requested);
  if (typeof entry.key === 'string') parts.push(colours.cyan(entry.key));
  const tokens = entry.tokens as { input?: unknown; output?: unknown } | undefined;
  if (typeof tokens?.input === 'number' && typeof tokens.output === 'number') parts.push(`${tokens.input}→${tokens.output} tok`);
  if (typeof entry.ttftMs === 'number') parts.push(`ttft ${duration(entry.ttftMs)}`);
  if (typeof entry.ms === 'number') parts.push(duration(entry.ms));
  if (entry.streamed === true) parts.push('stream');
  if (typeof entry.result === 'string' && entry.result !== 'success' && entry.result !== 'error') parts.push(colours.yellow(entry.result));
  const error = entry.error as { message?: unknown } | undefined;
  if (typeof error?.message === 'string') parts.push(colours.dim(`— ${error.message}`));
  return parts.join(' ');
}

/** `230 ms`, `4.2 ms`, `1.25 s`. */
function duration(ms: number): string {
  if (ms >= 1000) return `${(Math.round(ms / 10) / 100).toString()} s`;
  return `${ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10} ms`;
}

function roundNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return date.toTimeString().slice(0, 8);
}
