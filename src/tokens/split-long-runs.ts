/**
 * The longest run of one kind of character (letters and other non-space, or whitespace) that is
 * tokenized in one piece. BPE merging is quadratic in the length of a pre-tokenized piece: a run
 * of 40,000 letters takes over a second on the event loop, and 160,000 ten. Runs longer than this
 * are cut, which changes the count by at most one token per cut and keeps the work linear.
 */
export const MAX_TOKENIZED_RUN = 128;

/**
 * `text` as consecutive pieces (joined, they are `text` again) in which no run of non-space or of
 * space characters is longer than `maxRun`, and each piece is at most about `maxPiece` characters,
 * cut at a change between space and non-space where one is near. Never cuts a surrogate pair.
 */
export function splitLongRuns(text: string, maxRun: number = MAX_TOKENIZED_RUN, maxPiece: number = 16_384): string[] {
  if (text.length <= maxRun) return [text];
  const pieces: string[] = [];
  let start = 0;
  let runStart = 0;
  let lastBoundary = 0;
  let previousSpace = isSpace(text.charCodeAt(0));
  for (let index = 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const space = isSpace(code);
    if (space !== previousSpace) {
      runStart = index;
      lastBoundary = index;
      previousSpace = space;
    } else if (index - runStart >= maxRun && !isLowSurrogate(code)) {
      pieces.push(text.slice(start, index));
      start = index;
      runStart = index;
      lastBoundary = index;
      continue;
    }
    if (index - start >= maxPiece) {
      const cut = lastBoundary > start ? lastBoundary : isLowSurrogate(code) ? index + 1 : index;
      pieces.push(text.slice(start, cut));
      start = cut;
      if (runStart < start) runStart = start;
      lastBoundary = start;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

function isSpace(code: number): boolean {
  // The whitespace of the tokenizer's pre-split pattern (\s): ASCII, NBSP, and the Unicode spaces.
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
