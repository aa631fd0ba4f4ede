import type { FastifyBaseLogger } from 'fastify';
import type { CommandLineOverrides } from '../config/apply-config-overrides.ts';
import { loadGatewayConfig } from '../config/load-gateway-config.ts';
import { configuredSecrets } from '../config/configured-secrets.ts';
import { createLogger } from '../observability/create-logger.ts';
import { chooseLogFormat } from '../observability/log-format.ts';
import { otlpSettingsFromEnvironment } from '../observability/tracing/otlp-settings.ts';
import { startServer, type RunningServer } from '../server/start-server.ts';
import { openStateStore } from '../state/open-state-store.ts';
import type { StateStore } from '../state/state-store.ts';
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';
import { noProvidersHint } from './no-providers-hint.ts';
import { REAL_SERVE_PROCESS, type ServeProcess } from './serve-process.ts';
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
  const format = chooseLogFormat(context.environment.LLMUX_LOG_FORMAT, process.stdout.isTTY === true);
  if (format === undefined) throw new CliFailure('LLMUX_LOG_FORMAT: expected pretty or json');
  const host = context.serveProcess ?? REAL_SERVE_PROCESS;
  const log = createLogger(loaded.config.log_level, format, configuredSecrets(loaded.config), host.logSink);
  const state = await openStateStore(loaded.config, context.cwd).catch((error: unknown) => {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  });
  const tracing = otlpSettingsFromEnvironment(context.environment);
  for (const problem of tracing.problems) context.notice(`llmux: warning: ${problem}`);
  let server: RunningServer;
  try {
    server = await startServer({
      config: loaded.config,
      log,
      state,
      ...(tracing.settings === undefined ? {} : { tracing: tracing.settings }),
      ...(loaded.ollamaOrigins === undefined ? {} : { ollamaOrigins: loaded.ollamaOrigins }),
      ...(loaded.listenFrom === undefined ? {} : { listenFrom: loaded.listenFrom }),
    });
  } catch (error) {
    await state.close();
    throw error;
  }
  const stopping = stopOnSignals(server, state, log, context, host, loaded.config.drain_timeout_ms);

  for (const skipped of unbuiltProviders(loaded.config)) context.notice(`llmux: provider '${skipped.id}' skipped: ${skipped.reason}`);
  const providerIds = server.gateway.providers.map((provider) => provider.id);
  const source = loaded.source.kind === 'file' ? `config ${loaded.source.path}` : 'config from the environment';
  const listenFrom = loaded.listenFrom === undefined ? '' : `, address from ${loaded.listenFrom}`;
  // Ready at once: model discovery follows in lines of its own and never holds this one back.
  context.notice(`llmux listening on ${server.url} (${source}${listenFrom}; providers: ${providerIds.length === 0 ? 'none' : providerIds.join(', ')})`);
  if (providerIds.length === 0) {
    context.notice(`llmux: ${noProvidersHint(loaded)}`);
    server.collectStartupGarbage();
  } else void reportDiscovery(server, context, stopping).then(() => server.collectStartupGarbage());
}

/** Lists every provider's models (which also warms the catalog for the first request) and says what came of it. */
async function reportDiscovery(server: RunningServer, context: CliContext, stopping: { readonly asked: boolean }): Promise<void> {
  const { router } = server.gateway.services;
  try {
    const models = await router.list();
    // Stopped before discovery finished: what it found no longer matters.
    if (stopping.asked) return;
    const failures = new Map(router.catalogFailures().map((failure) => [failure.providerId, failure.message]));
    for (const provider of server.gateway.providers) {
      const failure = failures.get(provider.id);
      if (failure !== undefined) {
        context.notice(`llmux: could not list the models of provider '${provider.id}': ${failure}; it is retried on use`);
        continue;
      }
      const count = models.filter((model) => model.target.provider === provider).length;
      context.notice(`llmux: provider '${provider.id}': ${count} model${count === 1 ? '' : 's'}`);
    }
    context.notice(`llmux: ${models.length} model name${models.length === 1 ? '' : 's'} routable (npx llmux models lists them)`);
  } catch (error) {
    context.notice(`llmux: model discovery failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Stops on the process's stop signals; the returned flag is set once a signal asked llmux to stop. */
function stopOnSignals(server: RunningServer, state: StateStore, log: FastifyBaseLogger, context: CliContext, host: ServeProcess, drainTimeoutMs: number): { readonly asked: boolean } {
  const stopping = { asked: false };
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    stopping.asked = true;
    if (first !== undefined) {
      // Ctrl-C under `npm start` arrives twice: the terminal signals the whole process group,
      // and npm forwards its own copy (@npmcli/run-script signal-manager). That is one press.
      if (signal === first.signal && performance.now() - first.at < SAME_SIGNAL_MS) return;
      context.notice(`llmux: ${signal} again, stopping now`);
      host.exit(1);
      return;
    }
    first = { signal, at: performance.now() };
    context.notice(`llmux: ${signal} received, finishing in-flight requests (up to ${drainTimeoutMs} ms)`);
    const deadline = setTimeout(() => {
      context.notice('llmux: shutdown did not finish in time, stopping now');
      host.exit(1);
    }, drainTimeoutMs + EXIT_GRACE_MS).unref();
    // Closing the server drains the requests and writes the last usage records; then the database closes.
    server
      .close()
      .then(() => state.close())
      .then(
      () => {
        clearTimeout(deadline);
        context.notice('llmux: stopped');
        host.exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        log.error({ err: error }, 'error while shutting down');
        host.exit(1);
      },
    );
  };
  host.onStopSignal(stop);
  return stopping;
}
