/**
 * Ollama's timestamps: RFC 3339 in UTC with exactly 6 fractional digits and `Z`
 * (`2024-09-12T21:17:29.110811Z`). Go's client rejects other forms and older pydantic rejects more
 * than 6 digits (pydantic#6512), so this is the one shape every client parses.
 */

let cachedSecond = Number.NaN;
let cachedPrefix = '';
let anchorWallMs = 0;
let anchorMonotonicMs = Number.NEGATIVE_INFINITY;

/**
 * Now, with microseconds. Called once per streamed chunk: only the fraction is formatted anew.
 * The monotonic clock gives the microseconds; it is re-anchored to the wall clock every second,
 * because it stands still while a laptop sleeps and would otherwise fall behind.
 */
export function ollamaNow(): string {
  const monotonic = performance.now();
  if (monotonic - anchorMonotonicMs >= 1000) {
    anchorWallMs = Date.now();
    anchorMonotonicMs = monotonic;
  }
  return formatOllamaMicros(Math.floor((anchorWallMs + (monotonic - anchorMonotonicMs)) * 1000));
}

/** A wall-clock time in epoch milliseconds, e.g. `modified_at` or `expires_at`. */
export function formatOllamaTime(epochMs: number): string {
  return formatOllamaMicros(Math.floor(epochMs * 1000));
}

function formatOllamaMicros(micros: number): string {
  const second = Math.floor(micros / 1_000_000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    // "YYYY-MM-DDTHH:MM:SS." — recomputed once a second at most on the streaming path.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const fraction = micros - second * 1_000_000;
  return cachedPrefix + (fraction < 100_000 ? String(fraction + 1_000_000).slice(1) : String(fraction)) + 'Z';
}
