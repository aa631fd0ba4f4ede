import type { FastifyBaseLogger } from 'fastify';
import { ClientKeyAuthenticator } from '../auth/client-key-authenticator.ts';
import { ClientRateLimiter } from '../auth/client-rate-limiter.ts';
import { StoredKeyDirectory } from '../auth/stored-key-directory.ts';
import { GatewayMetrics } from '../observability/gateway-metrics.ts';
import type { OtlpSettings } from '../observability/tracing/otlp-settings.ts';
import type { StateStore } from '../state/state-store.ts';
import { BudgetGuard } from '../usage/budget-guard.ts';
import { parseBudget } from '../usage/parse-budget.ts';
import { PriceTable } from '../usage/price-table.ts';
import { UsageRecorder } from '../usage/usage-recorder.ts';
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
import { parseDuration } from '../config/parse-duration.ts';
import { MemoryResponseStore } from '../state/memory-response-store.ts';
import { DEFAULT_RESPONSE_RETENTION } from '../state/response-store.ts';
import { WriteBehindResponseStore } from '../state/write-behind-response-store.ts';
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
  /** The durable state: stored keys are accepted and usage recorded only with one. */
  state?: StateStore;
  /** Export a span per request over OTLP/HTTP (from OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing?: OtlpSettings;
}

/** Config → providers, router and dispatcher. No listening here. */
export async function buildGateway(config: GatewayConfig, log: FastifyBaseLogger, options: BuildGatewayOptions = {}): Promise<BuiltGateway> {
  const available = config.providers.filter((providerConfig) => {
    if (PROVIDER_FACTORIES[providerConfig.type] !== undefined) return true;
    // A type whose implementation is not in this build must not stop the others from serving.
    // Every command says so once in its own words (unbuiltProviders), so the log only keeps it at debug.
    log.debug({ provider: providerConfig.id }, `provider '${providerConfig.id}' is skipped: type '${providerConfig.type}' is not available in this version of llmux yet`);
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
  const { state } = options;
  // Stored responses live in the state database (written off the request path); without one, in memory.
  const retentionMs = parseDuration(config.responses.retention) ?? DEFAULT_RESPONSE_RETENTION.maxAgeMs;
  const writeBehind = state === undefined ? undefined : new WriteBehindResponseStore({ store: state.responses, maxAgeMs: retentionMs, log });
  const storedKeys = state === undefined ? undefined : new StoredKeyDirectory(state.keys, log);
  await storedKeys?.start();
  const services: GatewayServices = {
    config,
    router,
    dispatcher,
    auth: new ClientKeyAuthenticator(config.keys, storedKeys),
    rateLimiter,
    outcomes,
    cors: new CorsPolicy(config.cors.origins, options.ollamaOrigins),
    responses: writeBehind ?? new MemoryResponseStore({ maxAgeMs: retentionMs }),
    log,
    prices: new PriceTable(config.prices, (providerId, model) => {
      const listed = catalog.find(providerId, model);
      return listed?.price ?? listed?.pricing;
    }),
  };
  if (state !== undefined) services.state = state;
  if (config.metrics) {
    const metrics = new GatewayMetrics(
      () => services.usage?.queueDepth ?? 0,
      () => router.providerList.map((provider) => ({ provider: provider.id, keys: provider.keyHeadroom?.() ?? [] })),
    );
    services.metrics = metrics;
    services.outcomes.subscribe(metrics.observe);
  }
  let tracer: { close(): Promise<void> } | undefined;
  if (options.tracing !== undefined) {
    const { OtlpTraceExporter } = await import('../observability/tracing/otlp-trace-exporter.ts');
    const exporter = new OtlpTraceExporter(options.tracing, log);
    tracer = exporter;
    // Model calls and the rest of the client APIs; not health polls or scrapes.
    services.outcomes.subscribe((outcome) => {
      if (outcome.protocol !== 'llmux' && outcome.protocol !== 'none') exporter.export(outcome);
    });
  }
  if (state !== undefined && config.state.usage) {
    const budgets = new BudgetGuard(config.budget == null ? undefined : parseBudget(config.budget), log);
    await budgets.load(state.usage);
    const configBudgets = new Map(config.keys.flatMap((key, index) => (key.budget === undefined ? [] : [[key.name ?? `key-${index + 1}`, parseBudget(key.budget)] as const])));
    const usage = new UsageRecorder({
      store: state.usage,
      prices: services.prices,
      budgets,
      log,
      budgetOf: (name) => configBudgets.get(name) ?? storedKeys?.budgetOf(name),
      onCost: (outcome, usd) => services.metrics?.addCost(outcome.keyName, outcome.requestedModel, outcome.provider ?? '', usd),
    });
    services.budgets = budgets;
    services.usage = usage;
    // Model calls make records — those that reached an upstream, and those refused before it
    // (a key over budget, a wrong key) — not polls of /api/tags, /api/show or /health.
    services.outcomes.subscribe((outcome) => {
      if (outcome.attempts.length > 0 || (outcome.requestedModel !== undefined && outcome.status >= 400)) usage.record(outcome);
    });
  }
  return {
    services,
    providers,
    close: async () => {
      catalog.close();
      storedKeys?.stop();
      services.metrics?.close();
      await services.usage?.close();
      await writeBehind?.close();
      await tracer?.close();
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
