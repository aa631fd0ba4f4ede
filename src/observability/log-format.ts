export type LogFormat = 'pretty' | 'json';

/**
 * `LLMUX_LOG_FORMAT` (`pretty` or `json`) when set; otherwise readable lines on a terminal and
 * JSON lines anywhere else (a file, a pipe, a log collector). Undefined for a value it does not know.
 */
export function chooseLogFormat(setting: string | undefined, isTerminal: boolean): LogFormat | undefined {
  const value = setting?.trim().toLowerCase();
  if (value === undefined || value === '') return isTerminal ? 'pretty' : 'json';
  return value === 'pretty' || value === 'json' ? value : undefined;
}
