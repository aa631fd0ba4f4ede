import { DEFAULT_KEEP_ALIVE_MS, LONGEST_KEEP_ALIVE_MS } from './parse-keep-alive.ts';
import type { OllamaModelEntry } from './ollama-model-directory.ts';

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
    // Forever, or anything longer than Go's longest duration, is that duration (Ollama's MaxInt64).
    const expiresAt = now + Math.min(keepAlive, LONGEST_KEEP_ALIVE_MS);
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
