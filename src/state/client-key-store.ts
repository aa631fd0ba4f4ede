import type { SpendBudget } from './spend-budget.ts';

/** A client key kept in the state store. The secret itself is never stored, only its keyed hash. */
export interface StoredClientKey {
  name: string;
  /** The first characters of the secret, to recognise it in lists (`llmux-ab12…`). */
  prefix: string;
  /** Keyed hash of the secret (hex). */
  hash: string;
  models?: string[];
  rpm?: number;
  tpm?: number;
  budget?: SpendBudget;
  /** Epoch ms. */
  createdAt: number;
  revokedAt?: number;
}

/** What `keys update` may change; `null` removes a setting. */
export interface ClientKeyPatch {
  models?: string[] | null;
  rpm?: number | null;
  tpm?: number | null;
  budget?: SpendBudget | null;
}

/** Stored client keys. Implemented by SQLite (embedded) and again by the shared stores. */
export interface ClientKeyStore {
  /** Adds a key; fails with KeyNameTakenError when the name is in use. */
  insert(key: StoredClientKey): Promise<void>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<StoredClientKey[]>;
  get(name: string): Promise<StoredClientKey | undefined>;
  /** The updated key, or undefined when there is no key of that name. */
  update(name: string, patch: ClientKeyPatch): Promise<StoredClientKey | undefined>;
  /** False when there is no such key or it was already revoked. */
  revoke(name: string, at: number): Promise<boolean>;
  /** A number that changes whenever any key changes, in any process sharing the store. */
  version(): Promise<number>;
  /** The secret the key hashes are keyed with, created on first use. */
  hashSecret(): Promise<Buffer>;
}

export class KeyNameTakenError extends Error {
  override readonly name = 'KeyNameTakenError';
  constructor(keyName: string) {
    super(`a key named '${keyName}' already exists`);
  }
}
