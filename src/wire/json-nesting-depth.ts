/**
 * The deepest nesting of arrays and objects llmux accepts in a request body. Real requests (tool
 * schemas, response formats, tool-call arguments) stay far below it; far deeper documents would
 * make recursive code overflow the stack. Ollama's decoder stops at 10,000; llmux stops lower on
 * purpose (README "Bounded work"; test/json-nesting-limit.test.ts tries 511 to 10,001 levels).
 */
export const MAX_JSON_DEPTH = 512;

/**
 * The deepest nesting of `[` and `{` in a JSON text (strings skipped), stopping early once it is
 * past `limit`. One pass, no recursion, whatever the text.
 */
export function jsonNestingDepth(text: string, limit: number = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
