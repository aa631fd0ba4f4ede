/**
 * The deepest nesting of arrays and objects llmux accepts in a request body. Real requests (tool
 * schemas, response formats, tool-call arguments) stay far below it; far deeper documents would
 * make recursive code overflow the stack. Ollama's decoder stops at 10,000; llmux stops lower on
 * purpose (README "Bounded work"; test/json-nesting-limit.test.ts tries 511 to 10,001 levels).
 */
export const MAX_JSON_DEPTH = 512;

/**
 * The deepest nesting of `[` and `{` in a JSON text (strings skipped), stopping early once it is
 * past `limit`. One pass, no recursion, whatever the text. Strings are jumped over with `indexOf`
 * to their closing quote rather than read a character at a time: in a chat request nearly every
 * byte is inside a string, and the scan then costs a fraction of the JSON.parse it guards.
 */
export function jsonNestingDepth(text: string, limit: number = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      const end = closingQuote(text, index);
      // An unterminated string runs to the end of the text.
      if (end === -1) return deepest;
      index = end;
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

/** Where the string opened at `open` ends: the next quote after an even run of backslashes, or -1. */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    // Stops at the opening quote at the latest.
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}
