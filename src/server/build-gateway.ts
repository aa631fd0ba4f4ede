import type { FastifyBaseLogger } from 'fastify';
import { ClientKeyAuthenticator } from '../auth/client-key-authenticator.ts';
import { ClientRateLimiter } from '../auth/client-rate-limiter.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import type { GatewayConfig, ProviderConfig } from '../config/gateway-config-schema.ts';
import { OutcomeHub } from '../observability/outcome-hub.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { PROVIDER_FACTORIES } from '../providers/provider-registry.ts';
import { ChatDispatcher } from '../routing/chat-dispatcher.ts';
import { ModelCatalog } from '../routing/model-catalog.ts';
import { ModelRouter } from '../routing/model-router.ts';
import type { RetryPolicy } from '../routing/retry-policy.ts';
import { createUpstreamHttpClient } from '../providers/shared/upstream-http-client.ts';
import type { UpstreamTimeouts } from '../wire/create-upstream-dispatcher.ts';
import { MemoryResponseStore } from '../state/memory-response-store.ts';
import { CorsPolicy } from './cors-policy.ts';
import type { GatewayServices } from './gateway-services.ts';

export interface BuiltGateway {
  services: GatewayServices;
  providers: ProviderAdapter[];
  close(): Promise<void>;
}

export interface BuildGatewayOptions {
  /** `OLLAMA_ORIGINS`, read by the caller from the environment. */
  ollamaOrigins?: string;
  retryPolicy?: RetryPolicy;
  /** Ready-made adapters added after the configured ones (tests, embedding llmux in a program). */
  adapters?: ProviderAdapter[];
}

/** Config → providers, router and dispatcher. No listening here. */
export async function buildGateway(config: GatewayConfig, log: FastifyBaseLogger, options: BuildGatewayOptions = {}): Promise<BuiltGateway> {
  const available = config.providers.filter((providerConfig) => {
    if (PROVIDER_FACTORIES[providerConfig.type] !== undefined) return true;
    // A type whose implementation is not in this build must not stop the others from serving.
    log.warn({ provider: providerConfig.id }, `provider '${providerConfig.id}' is skipped: type '${providerConfig.type}' is not available in this version of llmux yet`);
    return false;
  });
  const providers = [...(await Promise.all(available.map((providerConfig) => createProvider(providerConfig, log)))), ...(options.adapters ?? [])];
  const staticModels = new Map(config.providers.filter((provider) => provider.models !== undefined).map((provider) => [provider.id, provider.models ?? []]));
  const catalog = new ModelCatalog(providers, log, { staticModels });
  const router = new ModelRouter(config, providers, catalog);
  const dispatcher = new ChatDispatcher(router, options.retryPolicy);
  const rateLimiter = new ClientRateLimiter();
  const outcomes = new OutcomeHub(log);
  // Tokens are charged when a request is over, from its outcome: an aborted stream is charged
  // for what it streamed, since the upstream generated it.
  outcomes.subscribe((outcome) => rateLimiter.recordOutcome(outcome));
  const services: GatewayServices = {
    config,
    router,
    dispatcher,
    auth: new ClientKeyAuthenticator(config.keys),
    rateLimiter,
    outcomes,
    cors: new CorsPolicy(config.cors.origins, options.ollamaOrigins),
    responses: new MemoryResponseStore(),
    log,
  };
  return {
    services,
    providers,
    close: async () => {
      await Promise.allSettled(providers.map((provider) => provider.close()));
    },
  };
}

export async function createProvider(config: ProviderConfig, log: FastifyBaseLogger): Promise<ProviderAdapter> {
  const loadFactory = PROVIDER_FACTORIES[config.type];
  if (loadFactory === undefined) {
    throw new GatewayError('internal', `provider '${config.id}': type '${config.type}' is not available in this version of llmux`);
  }
  const timeouts: Partial<UpstreamTimeouts> = {};
  if (config.timeout?.connect_ms !== undefined) timeouts.connectMs = config.timeout.connect_ms;
  if (config.timeout?.first_byte_ms !== undefined) timeouts.firstByteMs = config.timeout.first_byte_ms;
  if (config.timeout?.idle_ms !== undefined) timeouts.idleMs = config.timeout.idle_ms;
  const httpClient = createUpstreamHttpClient(config.proxy === undefined ? { timeouts } : { timeouts, proxy: config.proxy });
  const factory = await loadFactory();
  return factory({ config, httpClient, log: log.child({ provider: config.id }) });
}
