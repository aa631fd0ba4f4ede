import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { createLogger } from '../observability/create-logger.ts';
import { buildGateway } from '../server/build-gateway.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';
import { formatTable } from './format-table.ts';
import { noProvidersHint } from './no-providers-hint.ts';
import { unbuiltProviders } from './unbuilt-providers.ts';
import { unsetKeyVariables } from './unset-key-variables.ts';
import { withoutUrlCredentials } from './without-url-credentials.ts';

export interface CheckFlags {
  config?: string;
}

/** How long one provider may take to list its models before it counts as failing. */
const PROBE_TIMEOUT_MS = 15_000;

interface ProviderRow {
  cells: string[];
  /** Probed and answered. */
  ok: boolean;
  /** Probed and failed, or skipped for a reason that is a mistake to fix. */
  failing: boolean;
}

/**
 * `llmux check`: validates the config, then probes every usable provider by listing its models
 * and prints one row each (provider, type, base URL, status, model count, latency). A provider
 * left out on purpose (its key variable unset, its type not built yet) is shown as skipped and
 * fails nothing, so one sample config checks clean with whichever keys a user has. Exits 1 when
 * a usable provider fails its probe, a provider is skipped over a mistake, or none is usable.
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
  const unbuilt = unbuiltProviders(loaded.config);
  let rows: ProviderRow[];
  const deprecatedNotices: string[] = [];
  try {
    const probes = loaded.config.providers.map(async (config): Promise<ProviderRow> => {
      const baseUrl = config.base_url === undefined ? '(default)' : withoutUrlCredentials(config.base_url);
      const skipped = unbuilt.find((provider) => provider.id === config.id);
      const adapter = gateway.providers.find((provider) => provider.id === config.id);
      if (skipped !== undefined || adapter === undefined) {
        return { cells: [config.id, config.type, baseUrl, `skipped: ${skipped?.reason ?? 'not started'}`, '-', '-'], ok: false, failing: skipped === undefined };
      }
      const startedAt = performance.now();
      try {
        const models = await adapter.listModels({ signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), requestId: 'llmux-check', log });
        for (const model of models.filter((listed) => listed.deprecated === true)) deprecatedNotices.push(deprecationNotice(config.id, model.id, loaded.config.models));
        return { cells: [config.id, config.type, baseUrl, 'ok', String(models.length), formatLatency(performance.now() - startedAt)], ok: true, failing: false };
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
        return { cells: [config.id, config.type, baseUrl, `error: ${message}`, '-', formatLatency(performance.now() - startedAt)], ok: false, failing: true };
      }
    });
    rows = await Promise.all(probes);
  } finally {
    await gateway.close();
  }
  for (const skipped of loaded.skippedProviders) {
    const onPurpose = unsetKeyVariables(skipped) !== undefined;
    rows.push({ cells: [skipped.id, skipped.type, '-', onPurpose ? `skipped: ${skipped.reason}` : `error: skipped, ${skipped.reason}`, '-', '-'], ok: false, failing: !onPurpose });
  }
  if (rows.length === 0) throw new CliFailure(noProvidersHint(loaded));
  context.print(
    formatTable(
      ['PROVIDER', 'TYPE', 'BASE URL', 'STATUS', 'MODELS', 'LATENCY'],
      rows.map((row) => row.cells),
    ),
  );
  for (const notice of deprecatedNotices.sort()) context.notice(notice);
  const failures = rows.filter((row) => row.failing).length;
  const usable = rows.filter((row) => row.ok || row.failing).length;
  if (failures > 0) throw new CliFailure(`${failures} of ${usable} provider${usable === 1 ? '' : 's'} failing`);
  if (usable === 0) throw new CliFailure(noProvidersHint(loaded));
}

/** A model its provider marks deprecated, and the configured names that route to it. */
function deprecationNotice(providerId: string, modelId: string, aliases: readonly { name: string; target?: string | undefined; targets?: string[] | undefined }[]): string {
  const target = `${providerId}/${modelId}`;
  const users = aliases.filter((alias) => alias.target === target || alias.targets?.includes(target) === true).map((alias) => alias.name);
  const used = users.length === 0 ? '' : `; used by ${users.map((name) => `'${name}'`).join(', ')} — point them at a current model`;
  return `llmux: warning: ${target} is deprecated by its provider and will be retired${used}`;
}

function formatLatency(milliseconds: number): string {
  return `${Math.round(milliseconds)} ms`;
}
