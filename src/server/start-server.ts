import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createApp } from '../app.ts';
import type { GatewayConfig } from '../config/gateway-config-schema.ts';
import { INBOUND_PROTOCOLS } from '../inbound/inbound-protocols.ts';
import type { ProviderAdapter } from '../providers/provider-adapter.ts';
import { buildGateway, type BuiltGateway } from './build-gateway.ts';
import { isLoopbackHost } from './host-guard.ts';
import { preloadTextTokenizer } from '../tokens/text-tokenizer.ts';

export interface StartServerOptions {
  config: GatewayConfig;
  log: FastifyBaseLogger;
  /** `OLLAMA_ORIGINS`. */
  ollamaOrigins?: string;
  /** Ready-made adapters added to the configured providers. */
  adapters?: ProviderAdapter[];
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
  if (!isLoopbackHost(host) && config.keys.length === 0 && !config.allow_open) {
    throw new StartServerError(
      `refusing to listen on ${host} with no client keys: anyone who can reach it could use your providers; ` +
        'set client keys (LLMUX_API_KEYS, CUSTOM_TOKEN or keys: in llmux.yaml), listen on 127.0.0.1, or pass --allow-open',
    );
  }
  const gateway = await buildGateway(config, log, {
    ...(options.ollamaOrigins === undefined ? {} : { ollamaOrigins: options.ollamaOrigins }),
    ...(options.adapters === undefined ? {} : { adapters: options.adapters }),
  });
  const app = createApp({ services: gateway.services, protocols: INBOUND_PROTOCOLS, listenHost: host, logger: log });
  try {
    await app.listen({ host, port, listenTextResolver: (address) => `listening on ${address}` });
  } catch (error) {
    await app.close().catch(() => undefined);
    await gateway.close();
    throw listenError(error, host, port);
  }
  // The tokenizer (Ollama's generate context, usage for upstreams that report none) loads in the
  // background once clients can connect, not on the first request that needs it.
  setImmediate(preloadTextTokenizer);
  const address = app.server.address() as AddressInfo;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    app,
    gateway,
    close: () => (closing ??= drainAndClose(app, gateway, config.drain_timeout_ms)),
  };
}

async function drainAndClose(app: FastifyInstance, gateway: BuiltGateway, drainTimeoutMs: number): Promise<void> {
  // Connections left idle by finished keep-alive requests would hold close() open until their
  // keep-alive timeout; reap them as they come, and cut whatever is still busy at the deadline.
  const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    gateway.services.outcomes.markDrainCut();
    app.server.closeAllConnections();
  }, drainTimeoutMs);
  try {
    await app.close();
  } finally {
    clearInterval(reaper);
    clearTimeout(deadline);
  }
  await gateway.close();
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
