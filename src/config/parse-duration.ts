/** `30m`, `12h`, `30d`, `2w`, `1.5d` (a number and a unit: minutes, hours, days, weeks). */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|w)\s*$/i;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A duration like `30d` in milliseconds; undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * UNIT_MS[(match[2] ?? 'd').toLowerCase() as keyof typeof UNIT_MS];
}
