/**
 * A request URL as the log shows it: the path, and the query string with every value replaced by
 * `[redacted]` (no llmux route reads one, and clients put keys there: `?key=…`, `?api_key=…`).
 * Cut to a bounded length.
 */
export function redactQueryString(url: string, maxLength = 512): string {
  const question = url.indexOf('?');
  let shown = url;
  if (question !== -1) {
    const names = url
      .slice(question + 1)
      .split('&')
      .map((pair) => {
        const equals = pair.indexOf('=');
        return equals === -1 ? '[redacted]' : `${pair.slice(0, equals)}=[redacted]`;
      });
    shown = `${url.slice(0, question)}?${names.join('&')}`;
  }
  return shown.length <= maxLength ? shown : `${shown.slice(0, maxLength)}…`;
}
