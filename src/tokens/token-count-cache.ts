import { hash } from 'node:crypto';
import type { TextTokenizer } from './text-tokenizer.ts';

/** Texts remembered at most; the one used longest ago is forgotten first. */
const MAX_ENTRIES = 4096;
/** Shorter texts are counted every time: counting them costs about what remembering them does. */
const MIN_REMEMBERED_CHARS = 512;

/**
 * Token counts of texts counted before, found by a digest of the text. A conversation sends all
 * its earlier turns again with every request, and an agent's system prompt and tool list alone are
 * often tens of thousands of tokens (about 15 ms of tokenizing per 100 KB): counted piece by piece
 * through this cache, a turn tokenizes only what is new in it. Keys are SHA-256 digests, so no
 * prompt text is kept (about 150 bytes per entry, 4,096 entries at most).
 */
export class TokenCountCache {
  private readonly counts = new Map<string, number>();
  private readonly maxEntries: number;

  constructor(maxEntries: number = MAX_ENTRIES) {
    this.maxEntries = maxEntries;
  }

  /** Texts remembered now. */
  get size(): number {
    return this.counts.size;
  }

  /** Whether `text` is long enough to be remembered (shorter ones are counted every time). */
  remembers(text: string): boolean {
    return text.length >= MIN_REMEMBERED_CHARS;
  }

  /**
   * `text`'s token count: at once (a number) when it is remembered, else counted by `tokenizer`
   * (which may be stopped by `signal`) and remembered.
   */
  count(tokenizer: TextTokenizer, text: string, signal?: AbortSignal): number | Promise<number> {
    if (!this.remembers(text)) return tokenizer.count(text, signal);
    const key = hash('sha256', text, 'base64');
    const known = this.counts.get(key);
    if (known !== undefined) {
      // Used again: moved to the end, the last to be forgotten.
      this.counts.delete(key);
      this.counts.set(key, known);
      return known;
    }
    return tokenizer.count(text, signal).then((counted) => {
      this.remember(key, counted);
      return counted;
    });
  }

  private remember(key: string, counted: number): void {
    this.counts.set(key, counted);
    if (this.counts.size > this.maxEntries) {
      const oldest = this.counts.keys().next();
      if (oldest.done !== true) this.counts.delete(oldest.value);
    }
  }
}
