/**
 * A request field the chosen provider could not honour and dropped because dropping it does not
 * change what the answer is about (a sampling hint, a cache marker). Declared to the client in the
 * `x-llmux-degraded` header and logged once; a field whose loss would change the answer is refused
 * with a 400 instead. `field` is the client's own wire name (`top_k`, `logit_bias`).
 */
export interface DegradedField {
  field: string;
  reason: string;
}

/**
 * The `x-llmux-degraded` header value: the distinct field names, comma-separated. A name is the
 * client's own and may hold anything; what is not a plain visible ASCII character (or is a comma)
 * is percent-encoded so the header stays valid and unambiguous.
 */
export function degradedHeaderValue(fields: readonly DegradedField[]): string {
  return [...new Set(fields.map((entry) => headerSafeName(entry.field)))].join(', ');
}

function headerSafeName(name: string): string {
  return /^[\x21-\x2b\x2d-\x7e]+$/.test(name) ? name : encodeURIComponent(name);
}
