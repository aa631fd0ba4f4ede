import { DEFAULT_KEEP_ALIVE_MS } from './parse-keep-alive.ts';
import type { OllamaModelEntry } from './ollama-model-directory.ts';

/** Go's largest duration (2^63-1 ns), which Ollama uses for "keep loaded forever". */
const FOREVER_MS = 9_223_372_036_854.775;

export interface RunningModel {
  entry: OllamaModelEntry;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * What `GET /api/ps` reports: models used recently through the Ollama routes, each "loaded" until
 * its `keep_alive` runs out (5 minutes by default, forever when negative, unloaded at 0), listed
 * longest-remaining first as Ollama does.
 */
export class OllamaRunningModels {
  private readonly loaded = new Map<string, RunningModel>();

  /** A model was used (or loaded) with this keep_alive in ms (undefined: the default). */
  touch(entry: OllamaModelEntry, keepAliveMs: number | undefined, now = Date.now()): void {
    const keepAlive = keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    if (keepAlive <= 0) {
      this.loaded.delete(entry.servedName);
      return;
    }
    const expiresAt = now + (keepAlive === Number.POSITIVE_INFINITY ? FOREVER_MS : keepAlive);
    this.loaded.set(entry.servedName, { entry, expiresAt });
  }

  list(now = Date.now()): RunningModel[] {
    const running: RunningModel[] = [];
    for (const [name, model] of this.loaded) {
      if (model.expiresAt <= now) this.loaded.delete(name);
      else running.push(model);
    }
    return running.sort((a, b) => b.expiresAt - a.expiresAt);
  }
}
