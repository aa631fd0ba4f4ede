import type { ModelCapability } from '../canonical/model-info.ts';
import type { GatewayConfig } from '../config/gateway-config-schema.ts';
import type { ModelRouter } from '../routing/model-router.ts';
import type { KeyHeadroom } from '../providers/shared/key-headroom.ts';
import type { RestingKey } from '../providers/shared/resting-key.ts';
import type { DashboardPrice } from './dashboard-sources.ts';
import type { ProviderHealth, ProviderHealthTracker } from './provider-health-tracker.ts';

export interface ModelTargetView {
  provider: string;
  providerType: string;
  model: string;
  price?: DashboardPrice;
}

export interface RoutableModelView {
  name: string;
  /** `alias` from the config's models, `pattern` for a wildcard alias, `listed` from a provider's model list. */
  kind: 'alias' | 'pattern' | 'listed';
  targets: ModelTargetView[];
  capabilities: ModelCapability[];
  contextLength?: number;
}

export interface ProviderView {
  id: string;
  type: string;
  keyCount: number;
  restingKeys: RestingKey[];
  /** Rate-limit headroom per key, where the upstream reports it. */
  headroom: KeyHeadroom[];
  health: ProviderHealth;
  listingError?: string;
}

export interface ModelOverview {
  models: RoutableModelView[];
  providers: ProviderView[];
  defaultModel?: string;
}

/** Every routable name with its targets, and each provider's health: the dashboard's models view. */
export async function modelOverview(
  config: Pick<GatewayConfig, 'models' | 'providers' | 'default_model'>,
  router: ModelRouter,
  health: ProviderHealthTracker,
  priceOf?: (provider: string, model: string) => DashboardPrice | undefined,
): Promise<ModelOverview> {
  const typeOf = (id: string): string => router.provider(id)?.type ?? config.providers.find((provider) => provider.id === id)?.type ?? 'unknown';
  const target = (provider: string, model: string): ModelTargetView => {
    const view: ModelTargetView = { provider, providerType: typeOf(provider), model };
    const price = priceOf?.(provider, model);
    if (price !== undefined) view.price = price;
    return view;
  };
  const aliasNames = new Set(config.models.map((alias) => alias.name));
  const models: RoutableModelView[] = [];
  for (const listed of await router.list()) {
    const resolved = aliasNames.has(listed.name) ? await router.tryResolve(listed.name) : undefined;
    const targets = resolved?.targets ?? [listed.target];
    const view: RoutableModelView = {
      name: listed.name,
      kind: resolved === undefined ? 'listed' : 'alias',
      targets: targets.map((one) => target(one.provider.id, one.upstreamModel)),
      capabilities: listed.capabilities ?? [],
    };
    if (listed.contextLength !== undefined) view.contextLength = listed.contextLength;
    models.push(view);
  }
  for (const alias of config.models.filter((one) => one.name.includes('*'))) {
    const view: RoutableModelView = {
      name: alias.name,
      kind: 'pattern',
      targets: (alias.targets ?? (alias.target === undefined ? [] : [alias.target])).map((one) => {
        const slash = one.indexOf('/');
        return target(one.slice(0, slash), one.slice(slash + 1));
      }),
      capabilities: alias.capabilities ?? [],
    };
    if (alias.context_length !== undefined) view.contextLength = alias.context_length;
    models.push(view);
  }
  const failures = new Map(router.catalogFailures().map((failure) => [failure.providerId, failure.message]));
  const providers = router.providerList.map((provider) => {
    const configured = config.providers.find((one) => one.id === provider.id);
    const view: ProviderView = {
      id: provider.id,
      type: provider.type,
      keyCount: (configured?.api_key === undefined ? 0 : 1) + (configured?.api_keys?.length ?? 0),
      restingKeys: provider.restingKeys?.() ?? [],
      headroom: provider.keyHeadroom?.() ?? [],
      health: health.health(provider.id),
    };
    const listingError = failures.get(provider.id);
    if (listingError !== undefined) view.listingError = listingError;
    return view;
  });
  const overview: ModelOverview = { models, providers };
  if (config.default_model !== undefined) overview.defaultModel = config.default_model;
  return overview;
}
