/** One JSON object per line, exactly `json + "\n"` (Ollama's stream framing, no blank lines). */
export function encodeNdjsonLine(value: unknown): string {
  return JSON.stringify(value) + '\n';
}

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';
