/**
 * `7d`, `24h`, `30m`, `2w` (ago from now) or a date (`2026-01-01`, ISO time) → epoch ms;
 * undefined when the text is neither.
 */
export function parseSince(text: string, now: number = Date.now()): number | undefined {
  const relative = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|w)\s*$/i.exec(text);
  if (relative !== null) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[(relative[2] ?? 'd').toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    return now - Number(relative[1]) * unit;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const time = Date.parse(text.trim());
  return Number.isNaN(time) ? undefined : time;
}
