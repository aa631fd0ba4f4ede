import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { createLogger } from '../observability/create-logger.ts';
import { buildGateway } from '../server/build-gateway.ts';
import type { CliContext } from './cli-context.ts';
import { describeModel } from '../routing/describe-model.ts';
import type { RouteTarget } from '../routing/model-router.ts';
import { formatTable } from './format-table.ts';
import { noProvidersHint } from './no-providers-hint.ts';
import { unbuiltProviders } from './unbuilt-providers.ts';
import type { ModelPrice } from '../usage/model-price.ts';

export interface ModelsFlags {
  config?: string;
  json?: boolean;
}

/**
 * `llmux models`: every name a client can use, with where it routes, taken from the aliases and
 * the providers' real model lists.
 */
export async function modelsCommand(flags: ModelsFlags, context: CliContext): Promise<void> {
  const loaded = await loadGatewayConfig({
    ...(flags.config === undefined ? {} : { configPath: flags.config }),
    environment: context.environment,
    cwd: context.cwd,
  });
  for (const warning of loaded.warnings) context.notice(`llmux: warning: ${warning}`);
  for (const skipped of unbuiltProviders(loaded.config)) context.notice(`llmux: provider '${skipped.id}' skipped: ${skipped.reason}`);
  const gateway = await buildGateway(loaded.config, createLogger('silent'));
  try {
    const { router } = gateway.services;
    const models = await router.list();
    const defaultModel = router.defaultModelName;
    const targetName = (target: RouteTarget): string => `${target.provider.id}/${target.upstreamModel}`;
    const described = models.map((model) => ({ model, description: describeModel({ ...model, upstreamModel: model.target.upstreamModel }) }));
    if (flags.json === true) {
      const listed = described.map(({ model, description }) => ({
        name: model.name,
        provider: model.target.provider.id,
        upstream_model: model.target.upstreamModel,
        ...(description.contextLength === undefined ? {} : { context_length: description.contextLength }),
        capabilities: description.capabilities,
        ...(model.fallbacks === undefined ? {} : { fallbacks: model.fallbacks.map(targetName) }),
        ...(model.name === defaultModel ? { default: true } : {}),
        ...(model.upstream?.maxOutputTokens === undefined ? {} : { max_output_tokens: model.upstream.maxOutputTokens }),
        ...(model.upstream?.price === undefined ? {} : { price_per_million: pricePerMillion(model.upstream.price) }),
        ...(model.upstream?.deprecated === true ? { deprecated: true } : {}),
      }));
      context.print(JSON.stringify(listed, null, 2));
    } else if (models.length > 0) {
      const rows = described.map(({ model, description }) => [
        model.name === defaultModel ? `${model.name} (default)` : model.name,
        model.target.provider.id,
        model.target.upstreamModel,
        description.contextLength?.toString() ?? '-',
        description.capabilities.join(','),
        model.fallbacks === undefined ? '-' : model.fallbacks.map(targetName).join(' → '),
      ]);
      context.print(formatTable(['NAME', 'PROVIDER', 'UPSTREAM MODEL', 'CONTEXT', 'CAPABILITIES', 'FALLBACKS'], rows));
    }
    if (defaultModel !== undefined && flags.json !== true) {
      const listedDefault = models.some((model) => model.name === defaultModel);
      const resolved = listedDefault ? undefined : await router.tryResolve(defaultModel);
      const where = resolved?.targets.map(targetName).join(' → ');
      context.print(`default_model: ${defaultModel}${where === undefined ? '' : ` (${where})`} answers requests for names not listed here`);
    }
    const silent = gateway.providers.filter((provider) => !models.some((model) => model.target.provider === provider));
    for (const provider of silent) context.notice(`llmux: provider '${provider.id}' listed no models; run 'npx llmux check' to see why`);
    if (gateway.providers.length === 0) context.notice(`llmux: ${noProvidersHint(loaded)}`);
  } finally {
    await gateway.close();
  }
}

/** A published price as `llmux models --json` shows it: the config's `prices` spelling. */
function pricePerMillion(price: ModelPrice): Record<string, number> {
  const shown: Record<string, number> = { input: price.input, output: price.output };
  if (price.cachedInput !== undefined) shown.cached_input = price.cachedInput;
  if (price.cacheWrite !== undefined) shown.cache_write = price.cacheWrite;
  if (price.cacheWrite1h !== undefined) shown.cache_write_1h = price.cacheWrite1h;
  if (price.reasoning !== undefined) shown.reasoning = price.reasoning;
  return shown;
}
