import { clipText } from '../canonical/quote-client-text.ts';

/** The longest string a log line keeps in any one field (a model name, a message). */
export const MAX_LOG_STRING = 1_000;
/** The most items a list in a log line keeps. */
export const MAX_LOG_ITEMS = 100;

/**
 * A log record's fields with every long string cut (two levels deep: `degraded: [{ field }]`):
 * client text reaches the log in many places — model names, field names, error messages — and a
 * client's 1 MB string must not become a 1 MB log line.
 */
export function boundLogFields(record: Record<string, unknown>): Record<string, unknown> {
  let bounded: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    // Numbers, booleans and short strings (most fields) pass without a call.
    if (value === null || (typeof value !== 'object' && (typeof value !== 'string' || value.length <= MAX_LOG_STRING))) continue;
    const clipped = bound(value, 1);
    if (clipped !== value) {
      bounded ??= { ...record };
      bounded[key] = clipped;
    }
  }
  return bounded ?? record;
}

function bound(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > MAX_LOG_STRING ? clipText(value, MAX_LOG_STRING) : value;
  if (depth > 2 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_LOG_ITEMS).map((item) => bound(item, depth + 1));
    return items.some((item, index) => item !== value[index]) || value.length > MAX_LOG_ITEMS ? items : value;
  }
  // Copied only when something in it was cut.
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    const clipped = bound(item, depth + 1);
    if (clipped !== item) {
      copy ??= { ...record };
      copy[key] = clipped;
    }
  }
  return copy ?? value;
}
