import type { ModelCapability, ProviderModel } from '../canonical/model-info.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import type { GatewayConfig, ModelAliasConfig } from '../config/gateway-config-schema.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import type { ModelCatalog } from './model-catalog.ts';
import { clipText, MAX_QUOTED_CHARS } from '../canonical/quote-client-text.ts';

/** One place a request can go: a provider and the model id it knows. */
export interface RouteTarget {
  provider: ProviderAdapter;
  upstreamModel: string;
}

/** A model name as clients see it, with where it routes. */
export interface ResolvedModel {
  /** The name the client used (or the default model's, when it stood in). */
  name: string;
  targets: RouteTarget[];
  contextLength?: number;
  capabilities?: ModelCapability[];
  /** The first target's model metadata from the provider's list, where known. */
  upstream?: ProviderModel;
  /** The unknown name the client asked for, when `default_model` answers in its place. */
  standsInFor?: string;
}

/** A model listed to clients. */
export interface ListedModel {
  name: string;
  target: RouteTarget;
  contextLength?: number;
  capabilities?: ModelCapability[];
  upstream?: ProviderModel;
  created?: number;
  /** An alias's further targets, tried in order when the first fails with a retryable error. */
  fallbacks?: RouteTarget[];
}

const KNOWN_MODELS_SHOWN = 25;
const LATEST_TAG = ':latest';

/** A value now, or a promise of it when it has to be waited for. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Model name → targets. Order: a configured alias; `<provider>/<model>`; a model id one of the
 * providers lists; `default_model`; otherwise 404 naming the known models.
 */
export class ModelRouter {
  private readonly aliases = new Map<string, ModelAliasConfig>();
  /** Aliases with a `*` in their name, in config order, tried after every exact name. */
  private readonly patterns: { prefix: string; suffix: string; alias: ModelAliasConfig }[] = [];
  private readonly providers = new Map<string, ProviderAdapter>();
  /**
   * The targets of each alias that names only `provider/model` targets: fixed by the config, so
   * built once and shared by every request (nothing changes a ResolvedModel's targets).
   */
  private readonly fixedTargets = new Map<ModelAliasConfig, RouteTarget[]>();
  private readonly catalog: ModelCatalog;
  private readonly defaultModel: string | undefined;

  constructor(config: Pick<GatewayConfig, 'models' | 'default_model'>, providers: readonly ProviderAdapter[], catalog: ModelCatalog) {
    for (const provider of providers) this.providers.set(provider.id, provider);
    for (const alias of config.models) {
      const star = alias.name.indexOf('*');
      if (star === -1) {
        this.aliases.set(alias.name, alias);
        if (!hasBareTarget(alias)) this.fixedTargets.set(alias, this.aliasTargets(alias));
      } else this.patterns.push({ prefix: alias.name.slice(0, star), suffix: alias.name.slice(star + 1), alias });
    }
    this.catalog = catalog;
    this.defaultModel = config.default_model;
  }

  /** `default_model`, when one is configured. */
  get defaultModelName(): string | undefined {
    return this.defaultModel;
  }

  get providerList(): ProviderAdapter[] {
    return [...this.providers.values()];
  }

  provider(id: string): ProviderAdapter | undefined {
    return this.providers.get(id);
  }

  /** Resolve a client's model name, or throw a not_found GatewayError. */
  async resolve(name: string): Promise<ResolvedModel> {
    return this.resolveNow(name);
  }

  /**
   * As resolve, but synchronous unless the model catalog has to be loaded first (or the name is
   * unknown): no promise step per request. Throws nothing itself; a not-found is a rejection.
   */
  resolveNow(name: string): MaybePromise<ResolvedModel> {
    const exact = this.tryResolveNow(name);
    if (exact instanceof Promise) return exact.then((found) => found ?? this.resolveInexact(name));
    return exact ?? this.resolveInexact(name);
  }

  /** A wildcard alias, else `default_model` standing in, else not found. */
  private resolveInexact(name: string): MaybePromise<ResolvedModel> {
    return this.matchPattern(name) ?? this.resolveDefault(name);
  }

  private async resolveDefault(name: string): Promise<ResolvedModel> {
    if (this.defaultModel !== undefined && this.defaultModel !== name) {
      const fallback = await this.tryResolve(this.defaultModel);
      if (fallback !== undefined) return { ...fallback, standsInFor: name };
    }
    throw await this.notFound(name);
  }

  /**
   * Resolve without patterns or the default-model fallback; undefined when unknown. Ollama
   * clients add `:latest` to names without a tag (and VS Code Copilot lists models through
   * /api/tags, then chats on /v1), so `name:latest` is `name` when only that is known.
   */
  async tryResolve(name: string): Promise<ResolvedModel | undefined> {
    return this.tryResolveNow(name);
  }

  /** Provider listing failures, for messages that explain an empty or short model list. */
  catalogFailures(): { providerId: string; message: string }[] {
    return this.catalog.failures();
  }

  /** As tryResolve; a promise only when the model catalog must be loaded first. */
  tryResolveNow(name: string): MaybePromise<ResolvedModel | undefined> {
    const exact = this.resolveExact(name);
    if (exact instanceof Promise) return exact.then((found) => this.untaggedUnless(found, name));
    return this.untaggedUnless(exact, name);
  }

  /** `found`, else `name:latest` resolved as `name` (renamed back to `name:latest`). */
  private untaggedUnless(found: ResolvedModel | undefined, name: string): MaybePromise<ResolvedModel | undefined> {
    if (found !== undefined || !name.endsWith(LATEST_TAG)) return found;
    const untagged = this.resolveExact(name.slice(0, -LATEST_TAG.length));
    const rename = (model: ResolvedModel | undefined): ResolvedModel | undefined => {
      if (model !== undefined) model.name = name;
      return model;
    };
    return untagged instanceof Promise ? untagged.then(rename) : rename(untagged);
  }

  /** An alias, a `provider/model` name or a listed model; a promise only when the catalog must be loaded to tell. */
  private resolveExact(name: string): MaybePromise<ResolvedModel | undefined> {
    const alias = this.aliases.get(name);
    if (alias !== undefined) {
      if (hasBareTarget(alias) && !this.catalog.isWarm()) return this.catalog.all().then(() => this.fromAlias(alias));
      return this.fromAlias(alias);
    }
    const slash = name.indexOf('/');
    if (slash > 0) {
      const provider = this.providers.get(name.slice(0, slash));
      if (provider !== undefined) {
        const upstreamModel = name.slice(slash + 1);
        const upstream = this.catalog.find(provider.id, upstreamModel);
        return withUpstream({ name, targets: [{ provider, upstreamModel }] }, upstream);
      }
    }
    const found = this.findListed(name);
    if (found !== undefined || this.catalog.isWarm()) return this.fromListed(name, found);
    return this.catalog.all().then(() => this.fromListed(name, this.findListed(name)));
  }

  private fromListed(name: string, found: { provider: ProviderAdapter; model: ProviderModel } | undefined): ResolvedModel | undefined {
    if (found === undefined) return undefined;
    return withUpstream({ name, targets: [{ provider: found.provider, upstreamModel: name }] }, found.model);
  }

  /** Everything a client can ask for: aliases first, then each provider's listed models. */
  async list(): Promise<ListedModel[]> {
    const byProvider = await this.catalog.all();
    const listed: ListedModel[] = [];
    const taken = new Set<string>();
    for (const alias of this.aliases.values()) {
      const resolved = this.fromAlias(alias);
      const target = resolved.targets[0];
      if (target === undefined) continue;
      taken.add(alias.name);
      const entry = withUpstreamListed({ name: alias.name, target, contextLength: alias.context_length, capabilities: alias.capabilities }, resolved.upstream);
      if (resolved.targets.length > 1) entry.fallbacks = resolved.targets.slice(1);
      listed.push(entry);
    }
    const owners = new Map<string, number>();
    for (const models of byProvider.values()) for (const model of models) owners.set(model.id, (owners.get(model.id) ?? 0) + 1);
    for (const [providerId, models] of byProvider) {
      const provider = this.providers.get(providerId);
      if (provider === undefined) continue;
      for (const model of models) {
        const name = owners.get(model.id) === 1 && !taken.has(model.id) ? model.id : `${providerId}/${model.id}`;
        if (taken.has(name)) continue;
        taken.add(name);
        listed.push(withUpstreamListed({ name, target: { provider, upstreamModel: model.id } }, model));
      }
    }
    return listed;
  }

  private fromAlias(alias: ModelAliasConfig): ResolvedModel {
    const targets = this.fixedTargets.get(alias) ?? this.aliasTargets(alias);
    const resolved: ResolvedModel = { name: alias.name, targets };
    if (alias.context_length !== undefined) resolved.contextLength = alias.context_length;
    if (alias.capabilities !== undefined) resolved.capabilities = alias.capabilities;
    const first = targets[0];
    const upstream = first === undefined ? undefined : this.catalog.find(first.provider.id, first.upstreamModel);
    return withUpstream(resolved, upstream);
  }

  /** An alias's targets that name a configured provider, in order; a bare model name goes to the provider listing it. */
  private aliasTargets(alias: ModelAliasConfig): RouteTarget[] {
    const targets: RouteTarget[] = [];
    for (const target of alias.targets ?? (alias.target === undefined ? [] : [alias.target])) {
      const slash = target.indexOf('/');
      if (slash === -1) {
        // A bare model name: the provider that lists it, else the first one (it may serve more
        // than it lists, as Poe serves private bots).
        const owner = this.findListed(target)?.provider ?? this.providers.values().next().value;
        if (owner !== undefined) targets.push({ provider: owner, upstreamModel: target });
        continue;
      }
      const provider = this.providers.get(target.slice(0, slash));
      if (provider !== undefined) targets.push({ provider, upstreamModel: target.slice(slash + 1) });
    }
    return targets;
  }

  /**
   * A wildcard alias (`name: "claude-*"`, `target: "poe/Claude-*"`): the text the `*` matched
   * replaces the `*` in each target. Tried only for requests, after every exact name, so listing
   * and Ollama's model look-ups (where a 404 means "pull it") are not answered by a pattern.
   */
  private matchPattern(name: string): ResolvedModel | undefined {
    for (const { prefix, suffix, alias } of this.patterns) {
      if (name.length < prefix.length + suffix.length || !name.startsWith(prefix) || !name.endsWith(suffix)) continue;
      const matched = name.slice(prefix.length, name.length - suffix.length);
      const targets = (alias.targets ?? (alias.target === undefined ? [] : [alias.target])).map((target) => target.replace('*', matched));
      return this.fromAlias({ ...alias, name, targets, target: undefined });
    }
    return undefined;
  }

  private findListed(name: string): { provider: ProviderAdapter; model: ProviderModel } | undefined {
    for (const provider of this.providers.values()) {
      const model = this.catalog.find(provider.id, name);
      if (model !== undefined) return { provider, model };
    }
    return undefined;
  }

  private async notFound(name: string): Promise<GatewayError> {
    return new GatewayError('not_found', `model '${clipText(name, MAX_QUOTED_CHARS)}' not found; ${await this.knownModelsHint()}`, { param: 'model', code: 'model_not_found' });
  }

  /**
   * What a not-found answer adds after its own wording: the known models (some of them, when
   * there are many), and any provider whose model list could not be fetched.
   */
  async knownModelsHint(allowed?: ReadonlySet<string>): Promise<string> {
    const known = (await this.list()).map((model) => model.name).filter((name) => allowed === undefined || allowed.has(name));
    const shown = known.slice(0, KNOWN_MODELS_SHOWN).join(', ');
    const more = known.length > KNOWN_MODELS_SHOWN ? `, … (${known.length - KNOWN_MODELS_SHOWN} more)` : '';
    const failures = this.catalog.failures().map((failure) => `could not list the models of provider '${failure.providerId}': ${failure.message}`);
    let hint: string;
    if (known.length > 0) hint = `known models: ${shown}${more}`;
    else if (this.providers.size === 0) hint = 'no models are configured; add a provider (see `llmux init`)';
    else hint = 'no provider listed any models';
    return failures.length === 0 ? hint : `${hint}; ${failures.join('; ')}`;
  }
}

function hasBareTarget(alias: ModelAliasConfig): boolean {
  return (alias.targets ?? (alias.target === undefined ? [] : [alias.target])).some((target) => !target.includes('/'));
}

function withUpstream(resolved: ResolvedModel, upstream: ProviderModel | undefined): ResolvedModel {
  if (upstream === undefined) return resolved;
  resolved.upstream = upstream;
  if (resolved.contextLength === undefined && upstream.contextLength !== undefined) resolved.contextLength = upstream.contextLength;
  if (resolved.capabilities === undefined && upstream.capabilities !== undefined) resolved.capabilities = upstream.capabilities;
  return resolved;
}

function withUpstreamListed(
  listed: { name: string; target: RouteTarget; contextLength?: number | undefined; capabilities?: ModelCapability[] | undefined },
  upstream: ProviderModel | undefined,
): ListedModel {
  const result: ListedModel = { name: listed.name, target: listed.target };
  const contextLength = listed.contextLength ?? upstream?.contextLength;
  const capabilities = listed.capabilities ?? upstream?.capabilities;
  if (contextLength !== undefined) result.contextLength = contextLength;
  if (capabilities !== undefined) result.capabilities = capabilities;
  if (upstream !== undefined) {
    result.upstream = upstream;
    if (upstream.created !== undefined) result.created = upstream.created;
  }
  return result;
}
