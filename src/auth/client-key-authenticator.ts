import { hash, timingSafeEqual } from 'node:crypto';
import type { ClientKeyConfig } from '../config/gateway-config-schema.ts';
import type { SpendBudget } from '../state/spend-budget.ts';
import { parseBudget } from '../usage/parse-budget.ts';
import type { StoredKeyDirectory } from './stored-key-directory.ts';

export interface AuthenticatedClient {
  name: string;
  /** Model names this key may use; undefined means all. */
  models?: ReadonlySet<string>;
  rpm?: number;
  tpm?: number;
  budget?: SpendBudget;
}

export type AuthenticationResult =
  | { outcome: 'open' }
  | { outcome: 'ok'; client: AuthenticatedClient }
  | { outcome: 'missing' }
  | { outcome: 'invalid' };

// Answers without a client are the same every time: made once.
const OPEN: AuthenticationResult = { outcome: 'open' };
const MISSING: AuthenticationResult = { outcome: 'missing' };
const INVALID: AuthenticationResult = { outcome: 'invalid' };

interface StoredKey {
  digest: Buffer;
  client: AuthenticatedClient;
}

/** Distinct valid keys remembered as verified; past this the memory starts over (clients reuse a handful). */
const MAX_VERIFIED_KEYS = 256;

/**
 * Checks client keys (`Authorization: Bearer …` or `x-api-key`). Keys are compared as SHA-256
 * digests with timingSafeEqual against every stored key, so neither the match nor its position
 * leaks through timing. With no keys configured, everyone is let in (the server only allows that
 * on a loopback listen unless `--allow-open`).
 *
 * A key once verified is remembered, so the next request with it costs one map lookup instead of
 * a SHA-256 (and an HMAC for stored keys). Only valid keys are remembered, and the map is keyed
 * by the whole presented string: V8 compares a string's hash before its characters, so a wrong
 * key's lookup takes no longer for matching more of a valid one. Remembered stored keys are
 * forgotten whenever the stored keys reload, so a revoked key is refused as soon as before.
 */
export class ClientKeyAuthenticator {
  private readonly keys: StoredKey[];
  private readonly stored: StoredKeyDirectory | undefined;
  /** The answer for each verified key, made once: a request with a known key allocates nothing here. */
  private readonly verified = new Map<string, { outcome: 'ok'; client: AuthenticatedClient }>();
  /** The stored keys' generation the remembered keys were verified against. */
  private verifiedGeneration = 0;

  /** `stored`: keys kept in the state store (`llmux keys`), accepted beside the configured ones. */
  constructor(keys: readonly ClientKeyConfig[], stored?: StoredKeyDirectory) {
    this.stored = stored;
    this.keys = keys.map((key, index) => {
      const client: AuthenticatedClient = { name: key.name ?? `key-${index + 1}` };
      if (key.models !== undefined) client.models = new Set(key.models);
      if (key.rpm !== undefined) client.rpm = key.rpm;
      if (key.tpm !== undefined) client.tpm = key.tpm;
      const budget = key.budget === undefined ? undefined : parseBudget(key.budget);
      if (budget !== undefined) client.budget = budget;
      return { digest: digest(key.key), client };
    });
  }

  /** No key of any kind right now: everyone is let in. */
  get isOpen(): boolean {
    return this.keys.length === 0 && (this.stored === undefined || this.stored.size === 0);
  }

  /** Whether keys can appear or go while running (stored keys), so openness must be checked per request. */
  get isDynamic(): boolean {
    return this.stored !== undefined;
  }

  /** Reloads the stored keys now if they changed (they are also polled on their own). */
  async refreshStoredKeys(): Promise<void> {
    await this.stored?.refresh();
  }

  authenticate(headers: Record<string, string | string[] | undefined>): AuthenticationResult {
    if (this.isOpen) return OPEN;
    const presented = presentedKey(headers);
    if (presented === undefined) return MISSING;
    const generation = this.stored?.generation ?? 0;
    if (generation !== this.verifiedGeneration) {
      this.verified.clear();
      this.verifiedGeneration = generation;
    }
    const known = this.verified.get(presented);
    if (known !== undefined) return known;
    let match: AuthenticatedClient | undefined;
    if (this.keys.length > 0) {
      const candidate = digest(presented);
      for (const key of this.keys) {
        if (timingSafeEqual(key.digest, candidate) && match === undefined) match = key.client;
      }
    }
    match ??= this.stored?.lookup(presented);
    if (match === undefined) return INVALID;
    if (this.verified.size >= MAX_VERIFIED_KEYS) this.verified.clear();
    const result = { outcome: 'ok', client: match } as const;
    this.verified.set(presented, result);
    return result;
  }
}

export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = first(headers.authorization);
  if (authorization !== undefined) {
    const match = /^\s*Bearer\s+(.*)$/i.exec(authorization);
    const token = (match?.[1] ?? authorization).trim();
    if (token.length > 0) return token;
  }
  const apiKey = first(headers['x-api-key'])?.trim();
  return apiKey === undefined || apiKey.length === 0 ? undefined : apiKey;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function digest(key: string): Buffer {
  // One-shot hash: no Hash object per request (about 0.5 µs less CPU per check).
  return hash('sha256', key, 'buffer');
}
