import type { ClientKeyStore } from './client-key-store.ts';
import type { PersistentResponseStore } from './persistent-response-store.ts';
import type { UsageStore } from './usage-store.ts';

/** llmux's durable state: embedded SQLite by default, shared stores when configured. */
export interface StateStore {
  keys: ClientKeyStore;
  usage: UsageStore;
  /** Responses API responses stored with `store: true`. */
  responses: PersistentResponseStore;
  /** Where it lives, for messages (a file path or a URL without credentials). */
  location: string;
  close(): Promise<void>;
}
