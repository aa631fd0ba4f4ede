import type { PoeThinkingSplitter } from './poe-thinking-splitter.ts';

/**
 * The bot's answer as Poe defines it — `text` events append, `replace_response` replaces
 * everything so far (github:poe-platform/fastapi_poe client.py clears its chunks) — passed on
 * to an append-only stream.
 *
 * The scheme: text streams straight through until the bot sends a `replace_response`. From
 * then on the bot is in a replace phase (image bots rewrite a progress line again and again) and
 * its text is held. When the bot appends with a `text` event again, or at `done`, the held
 * answer is released: if it extends what was already passed on, only the new suffix goes out;
 * if nothing of the answer proper has gone out yet (only thinking or nothing at all), the
 * answer starts over. Only when the bot rewrites answer text the client already has — which no
 * append-only stream can take back — does the replacement follow it after a blank line, and
 * `onDivergence` is called so that this is logged. In `final` mode (non-streamed answers)
 * everything is held until `done`, so the client gets exactly the final text.
 */
export class PoeAnswerText {
  private readonly splitter: PoeThinkingSplitter;
  private readonly finalOnly: boolean;
  private readonly onDivergence: () => void;
  private current = '';
  private sent = '';
  private holding: boolean;

  constructor(splitter: PoeThinkingSplitter, options: { finalOnly: boolean; onDivergence?: () => void }) {
    this.splitter = splitter;
    this.finalOnly = options.finalOnly;
    this.onDivergence = options.onDivergence ?? (() => undefined);
    this.holding = options.finalOnly;
  }

  /** The answer as the bot has it now. */
  get text(): string {
    return this.current;
  }

  append(text: string): void {
    if (text.length === 0) return;
    this.current += text;
    if (!this.holding) {
      this.sent += text;
      this.splitter.push(text);
      return;
    }
    if (!this.finalOnly) this.release(false);
  }

  replace(text: string): void {
    this.current = text;
    this.holding = true;
  }

  /** The bot is done: release what is held and flush the splitter. */
  finish(): void {
    if (this.holding) this.release(true);
    this.splitter.end();
  }

  private release(atEnd: boolean): void {
    const current = this.current;
    if (current.startsWith(this.sent)) {
      this.feed(current.slice(this.sent.length));
    } else if (!this.splitter.answerStarted) {
      this.splitter.restart();
      this.sent = '';
      this.feed(current);
    } else if (atEnd) {
      this.onDivergence();
      this.feed('\n\n' + current);
    } else {
      return;
    }
    this.holding = false;
  }

  private feed(text: string): void {
    this.sent += text;
    this.splitter.push(text);
  }
}
