import type { CallContext } from '../provider-adapter.ts';

/** How long the list of media bots is trusted before it is read again. */
const REFRESH_MS = 10 * 60_000;

/**
 * Which Poe bots answer with images, video or audio, read from Poe's model list and kept for a
 * while. A list that cannot be read counts as "none known" (the bot is then streamed, as before)
 * and is asked for again on the next request.
 */
export class PoeMediaBots {
  private readonly load: (context: CallContext) => Promise<Set<string>>;
  private known: { ids: Set<string>; at: number } | undefined;
  private loading: Promise<Set<string>> | undefined;

  constructor(load: (context: CallContext) => Promise<Set<string>>) {
    this.load = load;
  }

  async has(model: string, context: CallContext): Promise<boolean> {
    if (this.known === undefined || Date.now() - this.known.at > REFRESH_MS) {
      this.loading ??= this.load(context)
        .then((ids) => {
          this.known = { ids, at: Date.now() };
          return ids;
        })
        .catch((error: unknown) => {
          context.log.debug({ err: error }, "Poe's model list could not be read to find media bots");
          return this.known?.ids ?? new Set<string>();
        })
        .finally(() => {
          this.loading = undefined;
        });
      await this.loading;
    }
    return this.known?.ids.has(model) ?? false;
  }
}
