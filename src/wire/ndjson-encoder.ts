import { escapeLineSeparators } from './escape-line-separators.ts';

/**
 * One JSON object per line, exactly `json + "\n"` (Ollama's stream framing, no blank lines), with
 * U+2028/U+2029 escaped as Go's encoder writes them.
 */
export function encodeNdjsonLine(value: unknown): string {
  return escapeLineSeparators(JSON.stringify(value)) + '\n';
}

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';
