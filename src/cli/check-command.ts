import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { createLogger } from '../observability/create-logger.ts';
import { PROVIDER_FACTORIES } from '../providers/provider-registry.ts';
import { buildGateway } from '../server/build-gateway.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';
import { formatTable } from './format-table.ts';
import { noProvidersHint } from './no-providers-hint.ts';
import { withoutUrlCredentials } from './without-url-credentials.ts';

export interface CheckFlags {
  config?: string;
}

/** How long one provider may take to list its models before it counts as failing. */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * `llmux check`: validates the config, then probes every provider by listing its models and
 * prints one row each (provider, type, base URL, status, model count, latency). Exits 1 when any
 * provider is failing, skipped or unavailable.
 */
export async function checkCommand(flags: CheckFlags, context: CliContext): Promise<void> {
  const loaded = await loadGatewayConfig({
    ...(flags.config === undefined ? {} : { configPath: flags.config }),
    environment: context.environment,
    cwd: context.cwd,
  });
  context.print(`config ok: ${loaded.source.kind === 'file' ? loaded.source.path : 'from the environment (no config file)'}`);
  for (const warning of loaded.warnings) context.notice(`llmux: warning: ${warning}`);
  const log = createLogger('silent');
  const gateway = await buildGateway(loaded.config, log);
  const rows: string[][] = [];
  try {
    const probes = loaded.config.providers.map(async (config) => {
      const baseUrl = config.base_url === undefined ? '(default)' : withoutUrlCredentials(config.base_url);
      const adapter = gateway.providers.find((provider) => provider.id === config.id);
      if (PROVIDER_FACTORIES[config.type] === undefined || adapter === undefined) {
        return [config.id, config.type, baseUrl, `error: type '${config.type}' is not available in this version of llmux yet`, '-', '-'];
      }
      const startedAt = performance.now();
      try {
        const models = await adapter.listModels({ signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), requestId: 'llmux-check', log });
        return [config.id, config.type, baseUrl, 'ok', String(models.length), formatLatency(performance.now() - startedAt)];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [config.id, config.type, baseUrl, `error: ${message.split('\n')[0]}`, '-', formatLatency(performance.now() - startedAt)];
      }
    });
    rows.push(...(await Promise.all(probes)));
  } finally {
    await gateway.close();
  }
  for (const skipped of loaded.skippedProviders) rows.push([skipped.id, skipped.type, '-', `error: skipped, ${skipped.reason}`, '-', '-']);
  const failures = rows.filter((row) => row[3] !== 'ok').length;
  if (rows.length === 0) {
    context.print(noProvidersHint(loaded));
    return;
  }
  context.print(formatTable(['PROVIDER', 'TYPE', 'BASE URL', 'STATUS', 'MODELS', 'LATENCY'], rows));
  if (failures > 0) throw new CliFailure(`${failures} of ${rows.length} provider${rows.length === 1 ? '' : 's'} failing`);
}

function formatLatency(milliseconds: number): string {
  return `${Math.round(milliseconds)} ms`;
}
