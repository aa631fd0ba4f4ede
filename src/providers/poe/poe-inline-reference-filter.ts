/** The inline refs of the files sent so far (a live view: it grows as files arrive). */
export interface KnownRefs {
  has(ref: string): boolean;
  readonly size: number;
}

/** Longest `![alt][ref]` held back while it may still be completed. */
const MAX_HELD = 400;
const COMPLETE = /!\[[^\]\n]*\]\[([^\]\n]*)\]/g;
const INCOMPLETE = /^!(?:\[[^\]\n]*(?:\](?:\[[^\]\n]*)?)?)?$/;

/**
 * Poe bots show their files inline with reference-style markdown, `![name][inline_ref]`, after
 * sending the file itself as a `file` event (github:poe-platform/fastapi_poe base.py sends file
 * events first "to ensure responses with inline_ref are sent after attachment is made"). Clients
 * outside Poe get the file as a canonical `file` event already, and cannot resolve the
 * reference, so references to files already sent are taken out of the streamed text. Text
 * streams through untouched unless it contains `!`; a possible reference is held only until it
 * is complete (or clearly is not one).
 */
export class PoeInlineReferenceFilter {
  private readonly knownRefs: KnownRefs;
  private held = '';
  /** References that were taken out, so no link definition is needed for them. */
  readonly removed = new Set<string>();

  constructor(knownRefs: KnownRefs) {
    this.knownRefs = knownRefs;
  }

  /** The text to pass on now. */
  push(delta: string): string {
    if (this.held === '' && (this.knownRefs.size === 0 || delta.indexOf('!') === -1)) return delta;
    let text = this.held + delta;
    this.held = '';
    text = text.replace(COMPLETE, (whole, ref: string) => {
      if (!this.knownRefs.has(ref)) return whole;
      this.removed.add(ref);
      return '';
    });
    const bang = text.lastIndexOf('!');
    if (bang !== -1 && text.length - bang < MAX_HELD && INCOMPLETE.test(text.slice(bang))) {
      this.held = text.slice(bang);
      return text.slice(0, bang);
    }
    return text;
  }

  /** The text ended: whatever is held goes out as it is. */
  end(): string {
    const held = this.held;
    this.held = '';
    return held;
  }
}
