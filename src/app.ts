import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_MAX_AGE_SECONDS } from './server/cors-policy.ts';
import type { GatewayServices } from './server/gateway-services.ts';
import { registerHealthRoutes } from './server/health-routes.ts';
import { isAllowedHost, isLoopbackHost } from './server/host-guard.ts';
import { registerProtocolScope, type InboundProtocol } from './server/register-protocol-scope.ts';
import { attachRequestContext, llmuxHeaders } from './server/request-context.ts';

export interface AppOptions {
  services: GatewayServices;
  protocols: readonly InboundProtocol[];
  /** The host llmux listens on; loopback turns on the DNS-rebinding guard. */
  listenHost: string;
  logger: FastifyBaseLogger;
}

/** Wiring only: hooks shared by every route, then one scope per inbound protocol. */
export function createApp(options: AppOptions): FastifyInstance {
  const { services } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: services.config.body_limit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // One line per request is written from the request's outcome when its socket closes.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: false,
    exposeHeadRoutes: true,
  }) as unknown as FastifyInstance;
  const guardHost = isLoopbackHost(options.listenHost);

  // Hooks are callback-style, not async: on a request path this short, each promise hop shows.
  // A hook that answers the request itself (403, preflight) does not call `done`.
  app.addHook('onRequest', (request, reply, done) => {
    attachRequestContext(request, reply, services.outcomes);
    if (guardHost && !isAllowedHost(request.headers.host)) {
      // Ollama answers a bare 403; the log says why (a reverse proxy must pass a local Host).
      request.log.info({ host: request.headers.host }, `refused: Host '${request.headers.host}' is not this machine (DNS-rebinding guard on a loopback listen; listen on another address to serve other names)`);
      reply.code(403).type('text/plain; charset=utf-8').send('403 Forbidden');
      return;
    }
    const origin = request.headers.origin;
    if (origin === undefined) {
      done();
      return;
    }
    if (!services.cors.allows(origin, request.headers.host)) {
      request.log.info({ origin }, `refused: browser origin '${origin}' is not allowed (add it to cors.origins or OLLAMA_ORIGINS)`);
      reply.code(403).type('text/plain; charset=utf-8').send('403 Forbidden');
      return;
    }
    reply.header('access-control-allow-origin', services.cors.allowAll ? '*' : origin);
    if (!services.cors.allowAll) reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'x-request-id, x-llmux-overhead-ms, x-llmux-provider, x-llmux-model, retry-after');
    if (request.method === 'OPTIONS') {
      reply
        .code(204)
        .headers({
          'access-control-allow-methods': CORS_ALLOWED_METHODS,
          'access-control-allow-headers': CORS_ALLOWED_HEADERS,
          'access-control-max-age': CORS_MAX_AGE_SECONDS,
        })
        .send();
      return;
    }
    done();
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.headers(llmuxHeaders(request));
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) request.llmux.outcome.noteBytesWritten(Buffer.byteLength(payload));
    done(null, payload);
  });

  // Preflight for any path (a 204 needs a route to hang on; the hook above answers it).
  app.options('*', async (_request, reply) => reply.code(204).send());

  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 page not found'));

  registerHealthRoutes(app);
  for (const protocol of options.protocols) registerProtocolScope(app, protocol, services);
  return app;
}
