import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createApp } from '../app.ts';
import { GatewayError } from '../canonical/gateway-error.ts';
import type { GatewayConfig } from '../config/gateway-config-schema.ts';
import { INBOUND_PROTOCOLS } from '../inbound/inbound-protocols.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { buildGateway, type BuiltGateway } from './build-gateway.ts';
import type { OtlpSettings } from '../observability/tracing/otlp-settings.ts';
import { InFlightList } from '../observability/in-flight-list.ts';
import type { StateStore } from '../state/state-store.ts';
import { isLoopbackHost } from './host-guard.ts';
import { collectStartupGarbage, startIdleHeapCollector } from './idle-heap-collector.ts';

export interface StartServerOptions {
  config: GatewayConfig;
  log: FastifyBaseLogger;
  /** `OLLAMA_ORIGINS`. */
  ollamaOrigins?: string;
  /** Ready-made adapters added to the configured providers. */
  adapters?: ProviderAdapter[];
  /** The durable state (stored keys, usage records); the caller opens and closes it. */
  state?: StateStore;
  tracing?: OtlpSettings;
  /** The variable the listen address came from, when neither a file nor a flag set it (`OLLAMA_HOST`). */
  listenFrom?: string;
}

export interface RunningServer {
  /** `http://127.0.0.1:11434`: where clients reach llmux (the real port when 0 was asked for). */
  url: string;
  port: number;
  app: FastifyInstance;
  gateway: BuiltGateway;
  /**
   * Stops accepting connections, lets in-flight requests and streams finish for up to
   * `drain_timeout_ms` (then cuts them), and closes the providers.
   */
  close(): Promise<void>;
  /**
   * Once start-up has settled (model discovery answered): one full collection of the garbage
   * starting left, unless a request is already running. Does nothing without `--expose-gc`
   * (bin/llmux.js starts llmux with it).
   */
  collectStartupGarbage(): void;
}

/** Why llmux could not start, in one line that says what to do; no stack trace needed. */
export class StartServerError extends Error {
  override readonly name = 'StartServerError';
}

/**
 * Providers, routes and the listening socket. Refuses an open (keyless) gateway on a non-loopback
 * address unless `allow_open`, as SPEC §5 asks; turns listen failures into StartServerErrors.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, log } = options;
  const { host, port } = config.listen;
  const refuseOpen = !isLoopbackHost(host) && !config.allow_open;
  if (refuseOpen && config.keys.length === 0 && options.state === undefined) throw openListenError(host, options.listenFrom);
  const gateway = await buildGateway(config, log, {
    ...(options.ollamaOrigins === undefined ? {} : { ollamaOrigins: options.ollamaOrigins }),
    ...(options.adapters === undefined ? {} : { adapters: options.adapters }),
    ...(options.state === undefined ? {} : { state: options.state }),
    ...(options.tracing === undefined ? {} : { tracing: options.tracing }),
  });
  // Stored keys count: a gateway whose only keys were made with `llmux keys create` is not open.
  if (refuseOpen && gateway.services.auth.isOpen) {
    await gateway.close();
    throw openListenError(host, options.listenFrom);
  }
  const inFlight = new InFlightList<AbortController>();
  const app = createApp({ services: gateway.services, protocols: INBOUND_PROTOCOLS, listenHost: host, logger: log, inFlight });
  try {
    await app.listen({ host, port, listenTextResolver: (address) => `listening on ${address}` });
  } catch (error) {
    await app.close().catch(() => undefined);
    await gateway.close();
    throw listenError(error, host, port);
  }
  const busy = (): boolean => inFlight.size > 0;
  const stopCollector = startIdleHeapCollector({ busy });
  const address = app.server.address() as AddressInfo;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    app,
    gateway,
    collectStartupGarbage: () => collectStartupGarbage({ busy }),
    close: () => {
      stopCollector();
      return (closing ??= drainAndClose(app, gateway, config.drain_timeout_ms, inFlight));
    },
  };
}

/** After the drain deadline ended the requests still running, how long they get to say so before their connections are cut. */
const CUT_GRACE_MS = 1_000;

async function drainAndClose(app: FastifyInstance, gateway: BuiltGateway, drainTimeoutMs: number, inFlight: InFlightList<AbortController>): Promise<void> {
  // Connections left idle by finished keep-alive requests would hold close() open until their
  // keep-alive timeout; reap them as they come. At the deadline, requests still running are
  // ended with an error their protocol can carry (a stream gets its error chunk, not a cut
  // connection), and whatever still holds a connection a moment later is cut.
  const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
  let cut: NodeJS.Timeout | undefined;
  const deadline = setTimeout(() => {
    const reason = new GatewayError('upstream', `llmux is shutting down: the request was still running when the drain timeout (drain_timeout_ms, ${drainTimeoutMs} ms) ended`, {
      status: 503,
      retryable: false,
      code: 'shutting_down',
    });
    gateway.services.outcomes.markDrainCut();
    if (inFlight.size > 0) app.log.warn({ requests: inFlight.size }, `drain timeout: ending ${inFlight.size} request(s) still running`);
    for (const controller of inFlight.values()) controller.abort(reason);
    cut = setTimeout(() => app.server.closeAllConnections(), CUT_GRACE_MS);
  }, drainTimeoutMs);
  try {
    await app.close();
  } finally {
    clearInterval(reaper);
    clearTimeout(deadline);
    clearTimeout(cut);
  }
  await gateway.close();
}

function openListenError(host: string, listenFrom: string | undefined): StartServerError {
  return new StartServerError(
    `refusing to listen on ${host}${listenFrom === undefined ? '' : ` (from ${listenFrom})`} with no client keys: anyone who can reach it could use your providers; ` +
      'set client keys (llmux keys create, LLMUX_API_KEYS, CUSTOM_TOKEN or keys: in llmux.yaml), listen on 127.0.0.1, or pass --allow-open',
  );
}

function listenError(error: unknown, host: string, port: number): Error {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'EADDRINUSE') {
    const hint = port === 11434 ? ' (is Ollama running?)' : '';
    return new StartServerError(`port ${port} is in use${hint}; use --port or PORT`);
  }
  if (code === 'EACCES') return new StartServerError(`no permission to listen on port ${port}; use a port above 1023 with --port or PORT`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StartServerError(`cannot listen on host '${host}': no such address on this machine; use --host or HOST`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
