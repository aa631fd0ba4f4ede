/** Visible ASCII and the space: what any HTTP client takes in a header value without surprise. */
const PLAIN_HEADER_VALUE = /^[\x20-\x7e]*$/;

/** The longest value llmux writes in one of its own headers; longer ones are cut (with `…`). */
export const MAX_HEADER_VALUE_LENGTH = 256;

/**
 * A value llmux puts into a response header that came from elsewhere (a model name a client
 * asked for, a bot name an upstream lists): unchanged when it is plain visible ASCII, otherwise
 * percent-encoded as UTF-8 (`cerebras/日本語` → `cerebras%2F%E6%97%A5%E6%9C%AC%E8%AA%9E`), so CR/LF
 * and non-Latin-1 characters can neither break the response nor add a header. Cut to a bounded length.
 */
export function safeHeaderValue(value: string, maxLength: number = MAX_HEADER_VALUE_LENGTH): string {
  const safe = PLAIN_HEADER_VALUE.test(value) ? value : encodeURIComponent(value);
  return safe.length <= maxLength ? safe : safe.slice(0, maxLength - 3).replace(/%[0-9A-F]?$/, '') + '...';
}
