import { timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ClientKeyStore } from '../state/client-key-store.ts';
import type { AuthenticatedClient } from './client-key-authenticator.ts';
import { hashClientKeySecret } from './client-key-secret.ts';

/** How often a running server looks for key changes: a revoked key is refused within a second. */
export const KEY_REFRESH_MS = 500;

interface ActiveKey {
  digest: Buffer;
  client: AuthenticatedClient;
}

/**
 * The stored client keys a server accepts, in memory: a request costs one HMAC and one map
 * lookup, never a database read. The store's change counter is polled every KEY_REFRESH_MS and
 * the keys reloaded when it moved (a `llmux keys revoke` in another process included).
 * The map is keyed by the HMAC of the presented key under a secret the client does not know, so
 * the lookup's timing says nothing about any stored key; the match is then confirmed with
 * timingSafeEqual.
 */
export class StoredKeyDirectory {
  private readonly store: ClientKeyStore;
  private readonly log: FastifyBaseLogger;
  private secret: Buffer | undefined;
  private keys = new Map<string, ActiveKey>();
  private byName = new Map<string, AuthenticatedClient>();
  private everStored = 0;
  private loads = 0;
  private version: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(store: ClientKeyStore, log: FastifyBaseLogger) {
    this.store = store;
    this.log = log;
  }

  /**
   * Stored keys, revoked ones included: a gateway whose keys were all revoked stays closed
   * rather than falling open.
   */
  get size(): number {
    return this.everStored;
  }

  /** Goes up each time the keys are reloaded: what was verified against older keys no longer holds. */
  get generation(): number {
    return this.loads;
  }

  /** Loads the keys and starts watching for changes. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), KEY_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reloads the keys if the store changed since the last load (after any reload under way). */
  async refresh(): Promise<void> {
    const previous = this.refreshing;
    const next = (async () => {
      await previous;
      await this.reload();
    })();
    this.refreshing = next;
    try {
      await next;
    } finally {
      if (this.refreshing === next) this.refreshing = undefined;
    }
  }

  private async reload(): Promise<void> {
    try {
      const version = await this.store.version();
      if (version === this.version) return;
      this.secret ??= await this.store.hashSecret();
      const next = new Map<string, ActiveKey>();
      const stored = await this.store.list();
      for (const key of stored) {
        if (key.revokedAt !== undefined) continue;
        const client: AuthenticatedClient = { name: key.name };
        if (key.models !== undefined) client.models = new Set(key.models);
        if (key.rpm !== undefined) client.rpm = key.rpm;
        if (key.tpm !== undefined) client.tpm = key.tpm;
        if (key.budget !== undefined) client.budget = key.budget;
        next.set(key.hash, { digest: Buffer.from(key.hash, 'hex'), client });
      }
      this.keys = next;
      this.everStored = stored.length;
      this.byName = new Map([...next.values()].map((key) => [key.client.name, key.client]));
      this.version = version;
      this.loads++;
    } catch (error) {
      // A store that cannot be read keeps the keys last loaded; it never fails a request.
      this.log.warn({ err: error }, `could not reload stored client keys: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  budgetOf(name: string): AuthenticatedClient['budget'] {
    return this.byName.get(name)?.budget;
  }

  lookup(presented: string): AuthenticatedClient | undefined {
    if (this.secret === undefined || this.keys.size === 0) return undefined;
    const hash = hashClientKeySecret(this.secret, presented);
    const found = this.keys.get(hash);
    if (found === undefined) return undefined;
    return timingSafeEqual(found.digest, Buffer.from(hash, 'hex')) ? found.client : undefined;
  }
}
