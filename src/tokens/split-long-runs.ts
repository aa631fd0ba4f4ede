/**
 * The longest run of one kind of character (letters, digits, other visible characters, or
 * whitespace) that is tokenized in one piece. BPE merging is quadratic in the length of a
 * pre-tokenized piece: a run of 40,000 letters takes over a second on the event loop, and 160,000
 * ten. Runs longer than this are cut, which changes the count by at most one token per cut and
 * keeps the work linear. Kinds follow the tokenizer's own pre-split pattern (letters, digits and
 * punctuation go to separate pieces), so text whose pieces are short anyway, JSON included, is
 * not cut and counts exactly.
 */
export const MAX_TOKENIZED_RUN = 128;

/**
 * `text` as consecutive pieces (joined, they are `text` again) in which no run of one kind of
 * character is longer than `maxRun`, and each piece is at most about `maxPiece` characters, cut at
 * a change of kind where one is near. Never cuts a surrogate pair.
 */
export function splitLongRuns(text: string, maxRun: number = MAX_TOKENIZED_RUN, maxPiece: number = 16_384): string[] {
  if (text.length <= maxRun) return [text];
  const pieces: string[] = [];
  let start = 0;
  let runStart = 0;
  let lastBoundary = 0;
  let previousKind = kindAt(text, 0);
  for (let index = 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // The second half of a surrogate pair is of its first half's kind.
    const kind = isLowSurrogate(code) ? previousKind : kindAt(text, index);
    if (kind !== previousKind) {
      runStart = index;
      lastBoundary = index;
      previousKind = kind;
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

const SPACE = 0;
const LETTER = 1;
const DIGIT = 2;
const OTHER = 3;
/** The kind of every character of the Basic Multilingual Plane, filled on first use. */
let bmpKinds: Uint8Array | undefined;

function kindAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 0xd800 || code > 0xdfff) {
    bmpKinds ??= buildBmpKinds();
    return bmpKinds[code] ?? OTHER;
  }
  return kindOf(String.fromCodePoint(text.codePointAt(index) ?? code));
}

function buildBmpKinds(): Uint8Array {
  const kinds = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) kinds[code] = code >= 0xd800 && code <= 0xdfff ? OTHER : kindOf(String.fromCharCode(code));
  return kinds;
}

function kindOf(character: string): number {
  if (character.length === 1 && isSpace(character.charCodeAt(0))) return SPACE;
  if (/[\p{L}\p{M}]/u.test(character)) return LETTER;
  if (/\p{N}/u.test(character)) return DIGIT;
  return OTHER;
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
