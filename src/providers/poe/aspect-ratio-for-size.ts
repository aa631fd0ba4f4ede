/** The aspect ratios image bots take (`--aspect W:H`, Midjourney-style), as [label, width/height]. */
const COMMON_RATIOS: readonly [string, number][] = [
  ['1:1', 1],
  ['16:9', 16 / 9],
  ['9:16', 9 / 16],
  ['4:3', 4 / 3],
  ['3:4', 3 / 4],
  ['3:2', 3 / 2],
  ['2:3', 2 / 3],
  ['5:4', 5 / 4],
  ['4:5', 4 / 5],
  ['21:9', 21 / 9],
  ['9:21', 9 / 21],
];

/**
 * OpenAI's `size` (`WxH`, e.g. `1792x1024`) → the nearest common aspect ratio (`16:9`), compared
 * on a log scale so that wide and tall sizes are treated alike. Undefined for `auto` or anything
 * that is not `WxH`.
 */
export function aspectRatioForSize(size: string | undefined): string | undefined {
  if (size === undefined) return undefined;
  const match = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(size);
  if (match === null) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width <= 0 || height <= 0) return undefined;
  const wanted = Math.log(width / height);
  let best = COMMON_RATIOS[0] as [string, number];
  for (const candidate of COMMON_RATIOS) {
    if (Math.abs(Math.log(candidate[1]) - wanted) < Math.abs(Math.log(best[1]) - wanted)) best = candidate;
  }
  return best[0];
}
