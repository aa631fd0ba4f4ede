import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createApp } from '../src/app.ts';
import { gatewayConfigSchema, type GatewayConfigInput } from '../src/config/gateway-config-schema.ts';
import { INBOUND_PROTOCOLS } from '../src/inbound/inbound-protocols.ts';
import { configuredSecrets } from '../src/config/configured-secrets.ts';
import type { InboundProtocol } from '../src/server/register-protocol-scope.ts';
import { createLogger } from '../src/observability/create-logger.ts';
import { buildGateway, type BuiltGateway } from '../src/server/build-gateway.ts';
import type { RetryPolicy } from '../src/routing/retry-policy.ts';
import type { ProviderAdapter } from '../src/providers/provider-adapter.ts';
import type { StateStore } from '../src/state/state-store.ts';
import type { OtlpSettings } from '../src/observability/tracing/otlp-settings.ts';

export interface TestGateway {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  app: FastifyInstance;
  gateway: BuiltGateway;
  close(): Promise<void>;
}

/** Fast retries so tests of retry behaviour stay quick. */
export const TEST_RETRY_POLICY: RetryPolicy = { attempts: 2, baseDelayMs: 5, maxDelayMs: 50 };

/** llmux on a loopback port with the given config (validated as a real config file would be). */
export async function startTestGateway(
  config: GatewayConfigInput,
  options: {
    retryPolicy?: RetryPolicy;
    ollamaOrigins?: string;
    logLevel?: string;
    logger?: FastifyBaseLogger;
    adapters?: ProviderAdapter[];
    protocols?: InboundProtocol[];
    state?: StateStore;
    tracing?: OtlpSettings;
    logLines?: string[];
    /** Called with the app before it listens (hooks can still be added). */
    beforeListen?: (app: FastifyInstance) => void;
  } = {},
): Promise<TestGateway> {
  const parsed = gatewayConfigSchema.parse(config);
  const lines = options.logLines;
  const log =
    options.logger ??
    (lines === undefined
      ? createLogger(options.logLevel ?? process.env.LLMUX_TEST_LOG ?? 'silent')
      : // Captured lines, with the config's keys scrubbed as `llmux serve` does.
        createLogger(options.logLevel ?? 'info', 'json', configuredSecrets(parsed), { write: (line: string) => lines.push(line) }));
  const gateway = await buildGateway(parsed, log, {
    retryPolicy: options.retryPolicy ?? TEST_RETRY_POLICY,
    ...(options.ollamaOrigins === undefined ? {} : { ollamaOrigins: options.ollamaOrigins }),
    ...(options.adapters === undefined ? {} : { adapters: options.adapters }),
    ...(options.state === undefined ? {} : { state: options.state }),
    ...(options.tracing === undefined ? {} : { tracing: options.tracing }),
  });
  const app = createApp({ services: gateway.services, protocols: options.protocols ?? INBOUND_PROTOCOLS, listenHost: '127.0.0.1', logger: log });
  options.beforeListen?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    gateway,
    close: async () => {
      // Tests end with connections still open (aborted streams, keep-alive); do not wait on them.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await gateway.close();
    },
  };
}
