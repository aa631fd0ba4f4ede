/** Where the splitter sends what it decided. */
export interface ThinkingSink {
  reasoning(text: string): void;
  text(text: string): void;
}

type Mode = 'start' | 'line-start' | 'quote' | 'text';
type Match = { state: 'match'; length: number } | { state: 'partial' } | { state: 'no' };

/** The status words reasoning bots on Poe open their answer with. */
const MARKERS = ['*Thinking...*', 'Thinking...', '*Thinking…*', 'Thinking…'];
/** The elapsed counter some of them append: `Thinking... (12s elapsed)`. */
const COUNTER = /^\(\d+(?:\.\d+)?s elapsed\)/;
const COUNTER_NUMBER = /^\(\d*(?:\.\d*)?/;
const COUNTER_TAIL = 's elapsed)';

/**
 * Splits the progress text of Poe's reasoning bots from their answer, as the text streams.
 *
 * Such bots open the answer with a status marker — `*Thinking...*` or `Thinking... (12s elapsed)` —
 * followed by their thinking as markdown quote lines (`> …`), then a blank line and the answer
 * (the shapes jeromeleong/poe2openai src/evert.rs handles). The marker and the quoted lines
 * become reasoning; the first line that is neither starts the answer, and from then on
 * everything is answer text. Precision over recall: quotes are thinking ONLY after a marker at
 * the very start of the answer, a marker only counts when its line ends right after it (or it
 * carries the elapsed counter), so `> quotes` and `Thinking... about it, yes` in ordinary
 * answers stay answer text. Nothing is held longer than it takes to decide: a possible marker
 * at the start, or the first characters of a line while thinking.
 */
export class PoeThinkingSplitter {
  private readonly sink: ThinkingSink;
  private mode: Mode = 'start';
  private pending = '';
  /** Whether any answer text was passed on (after that, the document can no longer restart). */
  answerStarted = false;

  constructor(sink: ThinkingSink) {
    this.sink = sink;
  }

  push(delta: string): void {
    if (delta.length === 0) return;
    if (this.mode === 'text') {
      this.sink.text(delta);
      return;
    }
    this.pending += delta;
    this.drain();
  }

  /** The text ended: whatever is still held is decided as it stands. */
  end(): void {
    const pending = this.pending;
    this.pending = '';
    if (pending.length === 0) return;
    if (this.mode === 'line-start') {
      const trimmed = pending.trimStart();
      if (trimmed.startsWith('>')) this.sink.reasoning(stripQuote(trimmed));
      else if (trimmed.length > 0) this.startAnswer(pending);
      return;
    }
    if (this.mode === 'start' && pending.trim().length > 0) this.startAnswer(pending);
  }

  /** The bot replaced its answer before any answer text went out: start over. */
  restart(): void {
    this.mode = 'start';
    this.pending = '';
  }

  private drain(): void {
    while (this.pending.length > 0) {
      if (this.mode === 'quote') {
        const newline = this.pending.indexOf('\n');
        if (newline === -1) {
          this.sink.reasoning(this.pending);
          this.pending = '';
          return;
        }
        this.sink.reasoning(this.pending.slice(0, newline + 1));
        this.pending = this.pending.slice(newline + 1);
        this.mode = 'line-start';
        continue;
      }
      if (this.mode === 'start') {
        const offset = firstNonWhitespace(this.pending);
        if (offset === -1) return;
        const rest = this.pending.slice(offset);
        const match = matchMarker(rest);
        if (match.state === 'partial') return;
        if (match.state === 'no') {
          this.startAnswer(this.pending);
          return;
        }
        this.sink.reasoning(rest.slice(0, match.length).trim() + '\n');
        this.pending = rest.slice(match.length);
        this.mode = 'line-start';
        continue;
      }
      if (this.mode === 'line-start') {
        const offset = firstNonBlank(this.pending);
        if (offset === -1) return;
        const first = this.pending.charCodeAt(offset);
        if (first === 10 || first === 13) {
          // A blank line between the marker, the quoted thinking and the answer.
          this.pending = this.pending.slice(offset + 1);
          continue;
        }
        const rest = this.pending.slice(offset);
        if (first === 62 /* > */) {
          if (rest.length === 1) return;
          this.pending = rest.charCodeAt(1) === 32 ? rest.slice(2) : rest.slice(1);
          this.mode = 'quote';
          continue;
        }
        const match = matchMarker(rest);
        if (match.state === 'partial') return;
        if (match.state === 'match') {
          this.sink.reasoning(rest.slice(0, match.length).trim() + '\n');
          this.pending = rest.slice(match.length);
          continue;
        }
        this.startAnswer(this.pending);
        return;
      }
      // mode === 'text'
      this.sink.text(this.pending);
      this.pending = '';
    }
  }

  private startAnswer(text: string): void {
    this.mode = 'text';
    this.pending = '';
    this.answerStarted = true;
    this.sink.text(text);
  }
}

function matchMarker(text: string): Match {
  let partial = false;
  for (const marker of MARKERS) {
    if (text.length < marker.length) {
      if (marker.startsWith(text)) partial = true;
      continue;
    }
    if (!text.startsWith(marker)) continue;
    const after = firstNonBlank(text, marker.length);
    if (after === -1) return { state: 'partial' };
    const next = text.charCodeAt(after);
    if (next === 10 || next === 13) return { state: 'match', length: after };
    if (next !== 40 /* ( */) return { state: 'no' };
    const tail = text.slice(after);
    const counter = COUNTER.exec(tail);
    if (counter !== null) return { state: 'match', length: after + counter[0].length };
    const number = COUNTER_NUMBER.exec(tail)?.[0] ?? '';
    const rest = tail.slice(number.length);
    return rest.length < COUNTER_TAIL.length && COUNTER_TAIL.startsWith(rest) ? { state: 'partial' } : { state: 'no' };
  }
  return partial ? { state: 'partial' } : { state: 'no' };
}

/** Index of the first character that is not a space, tab or line break; -1 if none. */
function firstNonWhitespace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return i;
  }
  return -1;
}

/** Index of the first character from `from` that is not a space or tab; -1 if none. */
function firstNonBlank(text: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return i;
  }
  return -1;
}

function stripQuote(line: string): string {
  return line.startsWith('> ') ? line.slice(2) : line.slice(1);
}
