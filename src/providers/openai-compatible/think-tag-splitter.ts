/** A piece of model output, sorted into reasoning or answer text. */
export interface ThinkSegment {
  kind: 'reasoning' | 'text';
  text: string;
}

const OPEN_TAG = '<think>';
const CLOSE_TAG = '</think>';

/**
 * Whether whole content starts with `<think>` (after whitespace): content that does not is all
 * answer text, as ThinkTagSplitter would find it, so it need not be split.
 */
export function opensWithThinkTag(content: string): boolean {
  return content.trimStart().startsWith(OPEN_TAG);
}

/**
 * Splits content that may start with `<think>…</think>` (the raw reasoning format of Qwen3 and
 * GLM, https://inference-docs.cerebras.ai/capabilities/reasoning) into reasoning and text, fed
 * one delta at a time: a tag split over several deltas is still found. Whitespace right inside
 * the tags and right after `</think>` is dropped, as Ollama's own thinking parser does. Only a
 * tag at the very start counts; `<think>` later in an answer is answer text.
 */
export class ThinkTagSplitter {
  private state: 'detecting' | 'opening' | 'reasoning' | 'after-reasoning' | 'text' = 'detecting';
  private pending = '';

  /** Once true, every further delta is plain text: callers may skip the splitter. */
  get isPassthrough(): boolean {
    return this.state === 'text';
  }

  push(delta: string): ThinkSegment[] {
    if (delta.length === 0) return [];
    if (this.state === 'text') return [{ kind: 'text', text: delta }];
    const segments: ThinkSegment[] = [];
    this.pending += delta;
    this.advance(segments);
    return segments;
  }

  /** The end of the content: whatever was held back goes out as what it most likely is. */
  flush(): ThinkSegment[] {
    const pending = this.pending;
    this.pending = '';
    if (pending.length === 0) return [];
    if (this.state === 'reasoning') {
      const text = pending.trimEnd();
      return text.length === 0 ? [] : [{ kind: 'reasoning', text }];
    }
    if (this.state === 'after-reasoning' || this.state === 'opening') return [];
    this.state = 'text';
    return [{ kind: 'text', text: pending }];
  }

  private advance(segments: ThinkSegment[]): void {
    if (this.state === 'detecting') {
      const start = this.pending.trimStart();
      if (start.length === 0) return;
      if (start.length < OPEN_TAG.length && OPEN_TAG.startsWith(start)) return;
      if (!start.startsWith(OPEN_TAG)) {
        this.state = 'text';
        segments.push({ kind: 'text', text: this.pending });
        this.pending = '';
        return;
      }
      this.state = 'opening';
      this.pending = start.slice(OPEN_TAG.length);
    }
    if (this.state === 'opening') {
      this.pending = this.pending.trimStart();
      if (this.pending.length === 0) return;
      this.state = 'reasoning';
    }
    if (this.state === 'reasoning') {
      const close = this.pending.indexOf(CLOSE_TAG);
      if (close === -1) {
        this.emitSafeReasoning(segments);
        return;
      }
      const reasoning = this.pending.slice(0, close).trimEnd();
      if (reasoning.length > 0) segments.push({ kind: 'reasoning', text: reasoning });
      this.state = 'after-reasoning';
      this.pending = this.pending.slice(close + CLOSE_TAG.length);
    }
    if (this.state === 'after-reasoning') {
      const text = this.pending.trimStart();
      this.pending = '';
      if (text.length === 0) return;
      this.state = 'text';
      segments.push({ kind: 'text', text });
    }
  }

  /** Emits reasoning up to what might be the start of `</think>` or whitespace just before it. */
  private emitSafeReasoning(segments: ThinkSegment[]): void {
    const pending = this.pending;
    let cut = pending.length - partialTagLength(pending);
    while (cut > 0 && isWhitespace(pending.charCodeAt(cut - 1))) cut--;
    if (cut === 0) return;
    segments.push({ kind: 'reasoning', text: pending.slice(0, cut) });
    this.pending = pending.slice(cut);
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `</think>`. */
function partialTagLength(text: string): number {
  const longest = Math.min(CLOSE_TAG.length - 1, text.length);
  for (let length = longest; length > 0; length--) {
    if (text.endsWith(CLOSE_TAG.slice(0, length))) return length;
  }
  return 0;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}
