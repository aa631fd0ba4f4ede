import { clientKeyPrefix, generateClientKeySecret, hashClientKeySecret } from '../auth/client-key-secret.ts';
import { KeyNameTakenError, type ClientKeyPatch, type ClientKeyStore, type StoredClientKey } from '../state/client-key-store.ts';
import { formatBudget, parseBudget } from '../usage/parse-budget.ts';
import type { CreateClientKeyInput, UpdateClientKeyInput } from './client-key-input-schemas.ts';

/** A stored key as lists and the admin API show it: never the secret nor its hash. */
export interface ClientKeyView {
  name: string;
  prefix: string;
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budget: string | null;
  created_at: string;
  revoked_at: string | null;
  status: 'active' | 'revoked';
}

/** A refusal the user can fix (unknown name, name taken); `status` for HTTP. */
export class KeyManagementError extends Error {
  override readonly name = 'KeyManagementError';
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** Creating, listing, changing and revoking stored client keys: one logic for `llmux keys` and `/admin/keys`. */
export class ClientKeyManager {
  private readonly store: ClientKeyStore;
  private readonly configuredNames: ReadonlySet<string>;
  private readonly now: () => number;

  /** `configuredNames`: names of keys in the config, which a stored key must not take. */
  constructor(store: ClientKeyStore, configuredNames: ReadonlySet<string>, now: () => number = Date.now) {
    this.store = store;
    this.configuredNames = configuredNames;
    this.now = now;
  }

  /** The new key and its secret, which is shown this once and kept nowhere. */
  async create(input: CreateClientKeyInput): Promise<{ key: ClientKeyView; secret: string }> {
    if (this.configuredNames.has(input.name)) throw new KeyManagementError(`a key named '${input.name}' is in the config already; choose another name`, 409);
    const secret = generateClientKeySecret();
    const key: StoredClientKey = { name: input.name, prefix: clientKeyPrefix(secret), hash: hashClientKeySecret(await this.store.hashSecret(), secret), createdAt: this.now() };
    if (input.models !== undefined) key.models = input.models;
    if (input.rpm !== undefined) key.rpm = input.rpm;
    if (input.tpm !== undefined) key.tpm = input.tpm;
    const budget = input.budget === undefined ? undefined : parseBudget(input.budget);
    if (budget !== undefined) key.budget = budget;
    try {
      await this.store.insert(key);
    } catch (error) {
      if (error instanceof KeyNameTakenError) throw new KeyManagementError(`${error.message}; choose another name, or revoke it first and pick a new one`, 409);
      throw error;
    }
    return { key: clientKeyView(key), secret };
  }

  async list(): Promise<ClientKeyView[]> {
    return (await this.store.list()).map(clientKeyView);
  }

  async show(name: string): Promise<ClientKeyView> {
    return clientKeyView(await this.existing(name));
  }

  async update(name: string, input: UpdateClientKeyInput): Promise<ClientKeyView> {
    const existing = await this.existing(name);
    if (existing.revokedAt !== undefined) throw new KeyManagementError(`key '${name}' is revoked; create a new one`, 409);
    const patch: ClientKeyPatch = {};
    if (input.models !== undefined) patch.models = input.models;
    if (input.rpm !== undefined) patch.rpm = input.rpm;
    if (input.tpm !== undefined) patch.tpm = input.tpm;
    if (input.budget !== undefined) patch.budget = input.budget === null ? null : (parseBudget(input.budget) ?? null);
    const updated = await this.store.update(name, patch);
    if (updated === undefined) throw unknownKey(name);
    return clientKeyView(updated);
  }

  async revoke(name: string): Promise<ClientKeyView> {
    const existing = await this.existing(name);
    if (existing.revokedAt !== undefined) return clientKeyView(existing);
    await this.store.revoke(name, this.now());
    return clientKeyView(await this.existing(name));
  }

  private async existing(name: string): Promise<StoredClientKey> {
    const key = await this.store.get(name);
    if (key === undefined) throw unknownKey(name);
    return key;
  }
}

function unknownKey(name: string): KeyManagementError {
  return new KeyManagementError(`no stored key named '${name}'`, 404);
}

export function clientKeyView(key: StoredClientKey): ClientKeyView {
  return {
    name: key.name,
    prefix: key.prefix,
    models: key.models ?? null,
    rpm: key.rpm ?? null,
    tpm: key.tpm ?? null,
    budget: key.budget === undefined ? null : formatBudget(key.budget),
    created_at: new Date(key.createdAt).toISOString(),
    revoked_at: key.revokedAt === undefined ? null : new Date(key.revokedAt).toISOString(),
    status: key.revokedAt === undefined ? 'active' : 'revoked',
  };
}
