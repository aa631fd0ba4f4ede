import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { clipText, MAX_QUOTED_CHARS } from './canonical/quote-client-text.ts';
import type { FastifyBaseLogger } from 'fastify';
import { DASHBOARD_ROUTE_DOCS } from './dashboard/dashboard-route-docs.ts';
import { dashboardSourcesFromServices } from './dashboard/dashboard-sources-from-services.ts';
import { registerDashboardRoutes } from './dashboard/register-dashboard-routes.ts';
import { ADMIN_ROUTE_DOCS } from './admin/admin-route-docs.ts';
import { registerAdminRoutes } from './admin/register-admin-routes.ts';
import type { InFlightList } from './observability/in-flight-list.ts';
import { lazyChildLogger } from './observability/lazy-child-logger.ts';
import { randomRequestId } from './observability/random-request-id.ts';
import { registerMetricsRoute } from './observability/register-metrics-route.ts';
import { registerOpenApiRoute } from './openapi/register-openapi-route.ts';
import { LLMUX_ROUTE_DOCS } from './server/llmux-route-docs.ts';
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_MAX_AGE_SECONDS } from './server/cors-policy.ts';
import type { GatewayServices } from './server/gateway-services.ts';
import { registerHealthRoutes } from './server/health-routes.ts';
import { isAllowedHost, isLoopbackHost } from './server/host-guard.ts';
import { clientRequestId } from './server/client-request-id.ts';
import { createClientErrorHandler } from './server/client-error-handler.ts';
import { refuseBeforeRouting } from './server/refuse-before-routing.ts';
import { registerProtocolScope, type InboundProtocol } from './server/register-protocol-scope.ts';
import { attachRequestContext, setLlmuxHeaders } from './server/request-context.ts';
import { requestArrival } from './server/request-arrival.ts';

export interface AppOptions {
  services: GatewayServices;
  protocols: readonly InboundProtocol[];
  /** The host llmux listens on; loopback turns on the DNS-rebinding guard. */
  listenHost: string;
  logger: FastifyBaseLogger;
  /** Filled with the abort controller of every request in flight (for ending them at the drain deadline). */
  inFlight?: InFlightList<AbortController>;
}

/** OpenAI paths clients send without `/v1`, served as with it. */
const UNVERSIONED_OPENAI_PATH = /^\/(chat\/completions|completions|models|embeddings|images\/generations)(?=[/?]|$)/;

function withVersionPrefix(url: string): string {
  return UNVERSIONED_OPENAI_PATH.test(url) ? `/v1${url}` : url;
}

/** Wiring only: hooks shared by every route, then one scope per inbound protocol. */
export function createApp(options: AppOptions): FastifyInstance {
  const { services } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: services.config.body_limit,
    // Slow clients (headers or body trickling in) are cut off, checked every second; a request
    // that has arrived is not timed, so long streams flow as long as they need.
    requestTimeout: services.config.client_timeout.request_ms,
    http: { headersTimeout: services.config.client_timeout.headers_ms, connectionsCheckingInterval: 1000 },
    // ...and told so in their protocol's error shape (a 408), not Fastify's.
    clientErrorHandler: createClientErrorHandler(options.protocols, options.logger, services.config.client_timeout),
    // A client's own x-request-id is kept when it is a plain token (it is logged and echoed);
    // anything else gets a fresh id.
    requestIdHeader: false,
    genReqId: (raw) => clientRequestId(raw.headers['x-request-id']) ?? randomRequestId(),
    // request.log is made only when something logs through it (most requests log only the access line).
    childLoggerFactory: lazyChildLogger,
    // One line per request is written from the request's outcome when its socket closes.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // `base_url: http://host:11434` without `/v1` is a common client setting other gateways accept.
    rewriteUrl: (request) => withVersionPrefix(request.url ?? '/'),
    forceCloseConnections: false,
    exposeHeadRoutes: true,
  }) as unknown as FastifyInstance;
  requestArrival.watch(app.server);
  const guardHost = isLoopbackHost(options.listenHost);
  // First, so that it sees every route registered after it.
  registerOpenApiRoute(app, () => [...LLMUX_ROUTE_DOCS, ...ADMIN_ROUTE_DOCS, ...DASHBOARD_ROUTE_DOCS, ...options.protocols.flatMap((protocol) => protocol.routeDocs ?? [])]);

  // Hooks are callback-style, not async: on a request path this short, each promise hop shows.
  // A hook that answers the request itself (403, preflight) does not call `done`.
  app.addHook('onRequest', (request, reply, done) => {
    attachRequestContext(request, reply, services.outcomes, options.inFlight);
    if (services.metrics !== undefined) request.llmux.streams = services.metrics;
    if (guardHost && !isAllowedHost(request.headers.host)) {
      // Ollama answers a bare 403; llmux says why, in the answer and the log (a reverse proxy must pass a local Host).
      const host = clipText(request.headers.host ?? '', MAX_QUOTED_CHARS);
      refuseBeforeRouting(request, reply, options.protocols, `Host '${host}' is not this machine: llmux listens on loopback and answers only local names and addresses (DNS-rebinding guard); listen on another address to serve other names`, 'host_not_allowed');
      return;
    }
    const origin = request.headers.origin;
    if (origin === undefined) {
      done();
      return;
    }
    if (!services.cors.allows(origin, request.headers.host)) {
      refuseBeforeRouting(request, reply, options.protocols, `browser origin '${clipText(origin, MAX_QUOTED_CHARS)}' is not allowed: add it to cors.origins in the config or to OLLAMA_ORIGINS`, 'origin_not_allowed');
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
    setLlmuxHeaders(request, reply);
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) request.llmux.outcome.noteBytesWritten(Buffer.byteLength(payload));
    done(null, payload);
  });

  // Preflight for any path (a 204 needs a route to hang on; the hook above answers it).
  app.options('*', async (_request, reply) => reply.code(204).send());

  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 page not found'));

  registerHealthRoutes(app);
  registerDashboardRoutes(app, services, dashboardSourcesFromServices(services));
  if (services.metrics !== undefined) registerMetricsRoute(app, services, services.metrics);
  registerAdminRoutes(app, services);
  for (const protocol of options.protocols) registerProtocolScope(app, protocol, services);
  return app;
}
