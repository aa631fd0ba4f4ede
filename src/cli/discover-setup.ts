import type { ProviderModel } from '../canonical/model-info.ts';
import { configFromEnvironment, type Environment } from '../config/config-from-environment.ts';
import { gatewayConfigSchema } from '../config/gateway-config-schema.ts';
import type { DiscoveredSetup } from '../config/sample-gateway-config.ts';
import { createLogger } from '../observability/create-logger.ts';
import { buildGateway } from '../server/build-gateway.ts';

/** The providers the sample config has; only these are asked. */
const SAMPLE_PROVIDERS = ['cerebras', 'poe'];
const LIST_TIMEOUT_MS = 15_000;

interface AliasRule {
  name: string;
  provider: string;
  /** Models to prefer, best first; the first listed, current one wins. */
  prefer: RegExp[];
}

/**
 * Friendly names `llmux init` writes when the model exists: `fast` (Cerebras, gpt-oss-120b where
 * listed, else its first current model), `claude` and `gpt` (Poe's newest Claude Sonnet and GPT
 * chat bots). Deprecated models are never chosen.
 */
const RULES: AliasRule[] = [
  { name: 'fast', provider: 'cerebras', prefer: [/^gpt-oss-120b$/, /./] },
  { name: 'claude', provider: 'poe', prefer: [/^Claude-Sonnet-\d/i, /^Claude-/i] },
  { name: 'gpt', provider: 'poe', prefer: [/^GPT-\d(\.\d+)?$/i, /^GPT-\d/i] },
];

/**
 * Asks each sample provider whose key the environment has (`CEREBRAS_API_KEY`, `POE_API_KEY`,
 * moved by `CEREBRAS_BASE_URL` / `POE_BASE_URL`) for its models, and picks aliases among those
 * that exist. Undefined when no such key is set; a provider that cannot be asked is reported.
 */
export async function discoverSetup(environment: Environment, notice: (line: string) => void): Promise<DiscoveredSetup | undefined> {
  const fromEnvironment = configFromEnvironment(environment).input.providers ?? [];
  const providers = fromEnvironment.filter((provider) => SAMPLE_PROVIDERS.includes(provider.id));
  if (providers.length === 0) return undefined;
  const log = createLogger('silent');
  const gateway = await buildGateway(gatewayConfigSchema.parse({ providers }), log);
  const setup: DiscoveredSetup = { aliases: [], baseUrls: {} };
  try {
    const listed = new Map<string, ProviderModel[]>();
    await Promise.all(
      gateway.providers.map(async (provider) => {
        try {
          listed.set(provider.id, await provider.listModels({ signal: AbortSignal.timeout(LIST_TIMEOUT_MS), requestId: 'llmux-init', log }));
        } catch (error) {
          notice(`llmux: could not list ${provider.id}'s models (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); no aliases written for it`);
        }
      }),
    );
    for (const rule of RULES) {
      const model = choose(listed.get(rule.provider) ?? [], rule.prefer);
      if (model !== undefined) setup.aliases.push({ name: rule.name, target: `${rule.provider}/${model.id}`, note: `listed by ${rule.provider} when llmux init ran` });
    }
  } finally {
    await gateway.close();
  }
  for (const provider of providers) {
    const variable = provider.id === 'cerebras' ? 'CEREBRAS_BASE_URL' : 'POE_BASE_URL';
    if (environment[variable] !== undefined && provider.base_url !== undefined) setup.baseUrls[provider.id] = provider.base_url;
  }
  if (setup.aliases[0] !== undefined) setup.defaultModel = setup.aliases[0].name;
  return setup;
}

function choose(models: readonly ProviderModel[], prefer: readonly RegExp[]): ProviderModel | undefined {
  const current = models.filter((model) => model.deprecated !== true && (model.capabilities === undefined || model.capabilities.includes('completion')));
  for (const pattern of prefer) {
    const matching = current.filter((model) => pattern.test(model.id));
    // The newest first where the list says when a model came.
    const newest = [...matching].sort((a, b) => (b.created ?? 0) - (a.created ?? 0))[0];
    if (newest !== undefined) return newest;
  }
  return undefined;
}
