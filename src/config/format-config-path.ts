/**
 * A location inside the config as users write it: `providers[1].type`, `headers["x-api-key"]`.
 * The empty path is the top level of the file.
 */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'symbol') text += `[${String(segment)}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) text += text.length === 0 ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text.length === 0 ? '(top level)' : text;
}
