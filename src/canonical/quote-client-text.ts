/** How much of a client's value an error message quotes. */
export const MAX_QUOTED_CHARS = 200;

/** The longest error message llmux writes to a client or the log. */
export const MAX_ERROR_MESSAGE_CHARS = 2_000;

/**
 * `text` cut to `max` characters (never inside a surrogate pair), saying how much was left out:
 * a client's 1 MB string must not become a 1 MB error answer or log line.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/** A client's value quoted in an error message as JSON (`"abc"`, `{"a":1}`), cut to a bounded length. */
export function quoteClientText(value: unknown, max: number = MAX_QUOTED_CHARS): string {
  let quoted: string;
  try {
    quoted = typeof value === 'string' && value.length > max * 4 ? JSON.stringify(value.slice(0, max * 4)) : (JSON.stringify(value) ?? String(value));
  } catch {
    quoted = Object.prototype.toString.call(value);
  }
  return clipText(quoted, max);
}
