import type { FastifyBaseLogger } from 'fastify';
import type { ProviderModel } from '../canonical/model-info.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import { timeoutSignal } from './timeout-signal.ts';

const DEFAULT_TTL_MS = 5 * 60_000;
/** How long one provider may take to list its models. */
const DEFAULT_LIST_TIMEOUT_MS = 15_000;
/** After a failed refresh, wait this long before asking that provider again. */
const FAILURE_BACKOFF_MS = 5_000;

interface CatalogEntry {
  models: ProviderModel[];
  /** `models` by id, for look-ups on the request path. */
  byId: Map<string, ProviderModel>;
  fetchedAt: number;
  failedAt: number;
  /** Why the last listing failed; undefined once one succeeded. */
  failure: string | undefined;
  pending: Promise<ProviderModel[]> | undefined;
  /** Whether a listing was attempted before (the first failure is reported by the caller). */
  triedBefore?: boolean;
}

/**
 * Each provider's own model list, fetched on first use and cached. A provider that fails to list
 * keeps its last good list (or none) and is not asked again for a while; listing never fails.
 */
export class ModelCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly providers: readonly ProviderAdapter[];
  private readonly log: FastifyBaseLogger;
  private readonly ttlMs: number;
  private readonly staticModels: ReadonlyMap<string, readonly string[]>;
  private readonly listTimeoutMs: number;
  /** Fires on close(), ending model-list requests still under way. */
  private readonly closing = new AbortController();

  constructor(
    providers: readonly ProviderAdapter[],
    log: FastifyBaseLogger,
    options: { ttlMs?: number; staticModels?: ReadonlyMap<string, readonly string[]>; listTimeoutMs?: number } = {},
  ) {
    this.providers = providers;
    this.log = log;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.listTimeoutMs = options.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS;
    this.staticModels = options.staticModels ?? new Map();
  }

  /** Every provider's models, refreshing stale lists (all providers in parallel). */
  async all(): Promise<Map<string, ProviderModel[]>> {
    const lists = await Promise.all(this.providers.map((provider) => this.modelsOf(provider)));
    const result = new Map<string, ProviderModel[]>();
    this.providers.forEach((provider, index) => result.set(provider.id, lists[index] ?? []));
    return result;
  }

  /** One model of a provider's cached list, by its id. */
  find(providerId: string, modelId: string): ProviderModel | undefined {
    return this.entries.get(providerId)?.byId.get(modelId);
  }

  /** Providers whose last model listing failed, with the reason. */
  failures(): { providerId: string; message: string }[] {
    const failures: { providerId: string; message: string }[] = [];
    for (const [providerId, entry] of this.entries) if (entry.failure !== undefined) failures.push({ providerId, message: entry.failure });
    return failures;
  }

  /** Whether every provider has been listed at least once (successfully or not). */
  isWarm(): boolean {
    return this.providers.every((provider) => {
      const entry = this.entries.get(provider.id);
      return entry !== undefined && (entry.fetchedAt > 0 || entry.failedAt > 0);
    });
  }

  /** Ends model-list requests still under way (shutdown must not wait for a provider that does not answer). */
  close(): void {
    this.closing.abort(new GatewayError('canceled', 'llmux is stopping'));
  }

  /** Drop cached lists so the next use fetches again. */
  invalidate(): void {
    for (const entry of this.entries.values()) {
      entry.fetchedAt = 0;
      entry.failedAt = 0;
    }
  }

  async modelsOf(provider: ProviderAdapter): Promise<ProviderModel[]> {
    let entry = this.entries.get(provider.id);
    if (entry === undefined) {
      entry = { models: [], byId: new Map(), fetchedAt: 0, failedAt: 0, failure: undefined, pending: undefined };
      this.entries.set(provider.id, entry);
    }
    const now = Date.now();
    const fresh = entry.fetchedAt > 0 && now - entry.fetchedAt < this.ttlMs;
    const backingOff = entry.failedAt > 0 && now - entry.failedAt < FAILURE_BACKOFF_MS;
    if (fresh || backingOff) return entry.models;
    entry.pending ??= this.fetch(provider, entry);
    return entry.pending;
  }

  private async fetch(provider: ProviderAdapter, entry: CatalogEntry): Promise<ProviderModel[]> {
    const timeout = timeoutSignal(this.listTimeoutMs, this.closing.signal);
    try {
      const listed = await provider.listModels({ signal: timeout.signal, requestId: 'model-catalog', log: this.log });
      setModels(entry, mergeStatic(listed, this.staticModels.get(provider.id)));
      entry.fetchedAt = Date.now();
      entry.failedAt = 0;
      if (entry.failure !== undefined) this.log.info({ provider: provider.id }, `provider '${provider.id}' listed its models again`);
      entry.failure = undefined;
    } catch (error) {
      entry.failedAt = Date.now();
      entry.failure = error instanceof Error ? error.message : String(error);
      if (entry.fetchedAt === 0) setModels(entry, mergeStatic([], this.staticModels.get(provider.id)));
      // A provider that cannot be reached is the operator's news, not a bug: the reason, no stack.
      // The very first listing's failure is told by whoever started it (`llmux serve` prints it
      // once at start), so the log does not say it a second time.
      const firstTry = entry.fetchedAt === 0 && !entry.triedBefore;
      this.log[firstTry ? 'debug' : 'warn']({ provider: provider.id }, `could not list the models of provider '${provider.id}': ${entry.failure}`);
    } finally {
      entry.triedBefore = true;
      timeout.clear();
      entry.pending = undefined;
    }
    return entry.models;
  }
}

function setModels(entry: CatalogEntry, models: ProviderModel[]): void {
  entry.models = models;
  entry.byId = new Map(models.map((model) => [model.id, model]));
}

function mergeStatic(listed: ProviderModel[], extra: readonly string[] | undefined): ProviderModel[] {
  if (extra === undefined || extra.length === 0) return listed;
  const known = new Set(listed.map((model) => model.id));
  return [...listed, ...extra.filter((id) => !known.has(id)).map((id) => ({ id }))];
}
