import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { createLogger } from '../observability/create-logger.ts';
import { buildGateway } from '../server/build-gateway.ts';
import type { CliContext } from './cli-context.ts';
import { formatTable } from './format-table.ts';
import { noProvidersHint } from './no-providers-hint.ts';
import { unbuiltProviders } from './unbuilt-providers.ts';

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
    const models = await gateway.services.router.list();
    if (flags.json === true) {
      const listed = models.map((model) => ({
        name: model.name,
        provider: model.target.provider.id,
        upstream_model: model.target.upstreamModel,
        ...(model.contextLength === undefined ? {} : { context_length: model.contextLength }),
        ...(model.capabilities === undefined ? {} : { capabilities: model.capabilities }),
        ...(model.upstream?.maxOutputTokens === undefined ? {} : { max_output_tokens: model.upstream.maxOutputTokens }),
        ...(model.upstream?.pricing === undefined ? {} : { price_per_million: model.upstream.pricing }),
        ...(model.upstream?.deprecated === true ? { deprecated: true } : {}),
      }));
      context.print(JSON.stringify(listed, null, 2));
    } else if (models.length > 0) {
      const rows = models.map((model) => [model.name, model.target.provider.id, model.target.upstreamModel, model.contextLength?.toString() ?? '']);
      context.print(formatTable(['NAME', 'PROVIDER', 'UPSTREAM MODEL', 'CONTEXT'], rows));
    }
    const silent = gateway.providers.filter((provider) => !models.some((model) => model.target.provider === provider));
    for (const provider of silent) context.notice(`llmux: provider '${provider.id}' listed no models; run 'npx llmux check' to see why`);
    if (gateway.providers.length === 0) context.notice(`llmux: ${noProvidersHint(loaded)}`);
  } finally {
    await gateway.close();
  }
}
