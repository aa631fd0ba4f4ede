import type { ClientKeyStore } from './client-key-store.ts';
import type { UsageStore } from './usage-store.ts';

/** llmux's durable state: embedded SQLite by default, shared stores when configured. */
export interface StateStore {
  keys: ClientKeyStore;
  usage: UsageStore;
  /** Where it lives, for messages (a file path or a URL without credentials). */
  location: string;
  close(): Promise<void>;
}
