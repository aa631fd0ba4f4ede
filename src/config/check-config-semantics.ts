import type { GatewayConfig } from './gateway-config-schema.ts';

/**
 * What the schema cannot see: names that must be unique, and references that must name
 * something. One line per problem, path first; key values are never printed.
 */
export function checkConfigSemantics(config: GatewayConfig): string[] {
  const problems: string[] = [];
  const providerIndex = new Map<string, number>();
  config.providers.forEach((provider, index) => {
    const first = providerIndex.get(provider.id);
    if (first === undefined) providerIndex.set(provider.id, index);
    else problems.push(`providers[${index}].id: '${provider.id}' is already used by providers[${first}]; provider ids must be unique`);
  });
  const knownProviders = [...providerIndex.keys()];
  const describeKnown = knownProviders.length === 0 ? 'no providers are configured' : `configured providers: ${knownProviders.join(', ')}`;

  const aliasIndex = new Map<string, number>();
  config.models.forEach((alias, index) => {
    const first = aliasIndex.get(alias.name);
    if (first === undefined) aliasIndex.set(alias.name, index);
    else problems.push(`models[${index}].name: '${alias.name}' is already defined by models[${first}]`);
    const targets = alias.targets === undefined ? [['target', alias.target]] : alias.targets.map((target, position) => [`targets[${position}]`, target]);
    for (const [field, target] of targets) {
      // A bare model name goes to whichever provider lists it: no provider to check here.
      if (target === undefined || !target.includes('/')) continue;
      const provider = target.slice(0, target.indexOf('/'));
      if (!providerIndex.has(provider)) problems.push(`models[${index}].${field}: no provider '${provider}' (${describeKnown})`);
    }
  });

  if (config.default_model !== undefined && !aliasIndex.has(config.default_model)) {
    const slash = config.default_model.indexOf('/');
    const provider = slash > 0 ? config.default_model.slice(0, slash) : undefined;
    if (provider === undefined || slash === config.default_model.length - 1) {
      problems.push(`default_model: '${config.default_model}' is not a name under models:; use one of those or '<provider>/<model>'`);
    } else if (!providerIndex.has(provider)) {
      problems.push(`default_model: no provider '${provider}' (${describeKnown})`);
    }
  }

  const keyIndex = new Map<string, number>();
  config.keys.forEach((key, index) => {
    const first = keyIndex.get(key.key);
    if (first === undefined) keyIndex.set(key.key, index);
    else problems.push(`keys[${index}].key: the same key as keys[${first}]; each client needs its own key`);
  });
  return problems;
}
