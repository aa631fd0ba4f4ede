import { GatewayError } from '../../canonical/gateway-error.ts';
import { quoteClientText } from '../../canonical/quote-client-text.ts';

/** How long a model stays "loaded" after a request when the client does not say: Ollama's 5m. */
export const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;

/**
 * Go's largest `time.Duration` (2^63-1 ns, about 292 years) in ms: the longest keep_alive Ollama
 * can hold. It stands for "forever" (a negative keep_alive) and caps any larger number of
 * seconds, as Ollama's `time.Duration(t * float64(time.Second))` saturates there; beyond it,
 * `expires_at` would leave the range a date can be written in and `/api/ps` would fail.
 */
export const LONGEST_KEEP_ALIVE_MS = 9_223_372_036_854.775;

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Ollama's `keep_alive` in milliseconds: a number of seconds, or a Go duration string (`"5m"`,
 * `"1h30m"`, `"300ms"`); anything negative means forever (Infinity) and 0 means unload now.
 * Ollama refuses the string `"-1"` (`time: missing unit in duration`); clients send it anyway, so
 * a unitless numeric string counts as seconds. Absent or null: undefined (the default applies).
 * A number of seconds beyond Go's longest duration is capped there; a duration string beyond it is
 * refused as Go's `time.ParseDuration` refuses it (`time: invalid duration`).
 * https://github.com/ollama/ollama/blob/main/api/types.go (Duration.UnmarshalJSON)
 */
export function parseKeepAlive(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return fromSeconds(value);
  if (typeof value !== 'string') {
    throw new GatewayError('invalid_request', `Unsupported type: '${goTypeName(value)}'`, { param: 'keep_alive' });
  }
  const text = value.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(text)) return fromSeconds(Number(text));
  const ms = parseGoDuration(text);
  if (ms === undefined || Math.abs(ms) > LONGEST_KEEP_ALIVE_MS) {
    throw new GatewayError('invalid_request', `time: invalid duration ${quoteClientText(value)}`, { param: 'keep_alive' });
  }
  return ms < 0 ? Number.POSITIVE_INFINITY : ms;
}

function fromSeconds(seconds: number): number {
  return seconds < 0 ? Number.POSITIVE_INFINITY : Math.min(seconds * 1000, LONGEST_KEEP_ALIVE_MS);
}

/** Go's time.ParseDuration: `[-+]` then one or more `<decimal><unit>`, e.g. `1h30m`, `1.5s`. */
function parseGoDuration(text: string): number | undefined {
  const match = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (match === null) return undefined;
  let total = 0;
  for (const part of (match[2] ?? '').matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? Number.NaN);
  }
  if (!Number.isFinite(total)) return undefined;
  return match[1] === '-' ? -total : total;
}

function goTypeName(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}
