import type { FastifyBaseLogger } from 'fastify';
import type { CommandLineOverrides } from '../config/apply-config-overrides.ts';
import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { configuredSecrets } from '../config/configured-secrets.ts';
import { createLogger, flushLogs } from '../observability/create-logger.ts';
import { startServer, type RunningServer } from '../server/start-server.ts';
import type { CliContext } from './cli-context.ts';
import { noProvidersHint } from './no-providers-hint.ts';
import { unbuiltProviders } from './unbuilt-providers.ts';

export interface ServeFlags extends CommandLineOverrides {
  config?: string;
}

/** After the drain deadline, this much longer for providers and logs before giving up. */
const EXIT_GRACE_MS = 5_000;
/** The same signal again within this long is a copy of the first one, not a second request. */
const SAME_SIGNAL_MS = 500;

/**
 * `llmux serve`: load the config, listen, print one line saying where, and stay up until SIGTERM
 * or Ctrl-C; then drain (see RunningServer.close) and exit 0. A second signal stops at once.
 */
export async function serveCommand(flags: ServeFlags, context: CliContext): Promise<void> {
  const loaded = await loadGatewayConfig({
    ...(flags.config === undefined ? {} : { configPath: flags.config }),
    environment: context.environment,
    cwd: context.cwd,
    overrides: flags,
  });
  for (const warning of loaded.warnings) context.notice(`llmux: warning: ${warning}`);
  const log = createLogger(loaded.config.log_level, configuredSecrets(loaded.config));
  const server = await startServer({
    config: loaded.config,
    log,
    ...(loaded.ollamaOrigins === undefined ? {} : { ollamaOrigins: loaded.ollamaOrigins }),
  });
  stopOnSignals(server, log, context, loaded.config.drain_timeout_ms);

  for (const skipped of unbuiltProviders(loaded.config)) context.notice(`llmux: provider '${skipped.id}' skipped: ${skipped.reason}`);
  const providerIds = server.gateway.providers.map((provider) => provider.id);
  if (providerIds.length === 0) {
    context.notice(`llmux: ${noProvidersHint(loaded)}`);
  }
  // Listing also warms the model catalog, so the first client request does not wait for it.
  const { router } = server.gateway.services;
  const models = await router.list();
  for (const failure of router.catalogFailures()) {
    context.notice(`llmux: could not list the models of provider '${failure.providerId}': ${failure.message}; it is retried on use`);
  }
  context.notice(`llmux listening on ${server.url} (providers: ${providerIds.length === 0 ? 'none' : providerIds.join(', ')}; models: ${models.length})`);
}

function stopOnSignals(server: RunningServer, log: FastifyBaseLogger, context: CliContext, drainTimeoutMs: number): void {
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      // Ctrl-C under `npm start` arrives twice: the terminal signals the whole process group,
      // and npm forwards its own copy (@npmcli/run-script signal-manager). That is one press.
      if (signal === first.signal && performance.now() - first.at < SAME_SIGNAL_MS) return;
      context.notice(`llmux: ${signal} again, stopping now`);
      process.exit(1);
    }
    first = { signal, at: performance.now() };
    context.notice(`llmux: ${signal} received, finishing in-flight requests (up to ${drainTimeoutMs} ms)`);
    setTimeout(() => {
      context.notice('llmux: shutdown did not finish in time, stopping now');
      process.exit(1);
    }, drainTimeoutMs + EXIT_GRACE_MS).unref();
    server.close().then(
      () => exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function exit(code: number): void {
  flushLogs();
  process.exit(code);
}
