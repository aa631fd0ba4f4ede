const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * JSON text with U+2028 and U+2029 written as `\u2028` / `\u2029`, as Go's encoding/json writes
 * them ("It is valid JSON to escape them, so we do so unconditionally", encode.go `appendString`).
 * Ollama's server streams every NDJSON line through `json.Marshal` (github:ollama/ollama
 * server/routes.go `streamResponse`), so its lines never carry them raw. JSON.stringify writes
 * them raw, and clients that split a stream the way Python's `str.splitlines()` does (httpx's
 * `LineDecoder`, under ollama-python and the OpenAI Python SDK) would cut a line there and fail to
 * parse both halves. Outside JSON strings neither character can occur, so replacing every one is
 * exact.
 */
export function escapeLineSeparators(json: string): string {
  if (!json.includes('\u2028') && !json.includes('\u2029')) return json;
  return json.replace(LINE_SEPARATORS, (char) => (char === '\u2028' ? '\\u2028' : '\\u2029'));
}
