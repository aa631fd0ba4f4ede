import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, toGatewayError } from '../canonical/gateway-error.ts';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../wire/json-nesting-depth.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RouteDoc } from '../openapi/route-doc.ts';
import { llmuxHeaders } from './request-context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered without a client key even when keys are configured (`/api/version`); see README "Public routes". */
    public?: boolean;
    /** False hides the route from /openapi.json (redirects, catch-alls). */
    openapi?: boolean;
    /** The inbound protocol whose scope the route is in (the request outcome's `protocol`). */
    protocol?: string;
  }
}

/** How an inbound protocol spells an error. */
export interface ProtocolErrorBody {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface InboundProtocol {
  name: string;
  /** Paths whose refusals before routing (Host, CORS) take this protocol's error shape: `/v1/`, `/api/`. */
  pathPrefixes?: readonly string[];
  formatError(error: GatewayError): ProtocolErrorBody;
  /** What /openapi.json says of each of its routes (a route without one shows as undocumented). */
  routeDocs?: readonly RouteDoc[];
  /** Adds the protocol's routes to its own scope. */
  register(scope: FastifyInstance, services: GatewayServices): void;
}

/**
 * Gives a protocol its own Fastify scope: bodies parsed as JSON whatever their content type
 * (Raycast sends none), every error — bad JSON, too large, unknown model, upstream failure —
 * answered in the protocol's own shape, and client-key checks answered likewise.
 */
export function registerProtocolScope(app: FastifyInstance, protocol: InboundProtocol, services: GatewayServices): void {
  void app.register(async (scope) => {
    // Every route of the scope carries its protocol's name in its config, where the request's
    // outcome reads it when the request arrives: no hook per request to say it.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, protocol: protocol.name };
    });
    scope.removeAllContentTypeParsers();
    const parseJson: Parameters<typeof scope.addContentTypeParser>[2] = (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim().length === 0) return done(null, undefined);
      if (jsonNestingDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        return done(new GatewayError('invalid_request', `request body nests arrays and objects deeper than the limit of ${MAX_JSON_DEPTH} levels`, { code: 'invalid_json' }), undefined);
      }
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        done(new GatewayError('invalid_request', `request body is not valid JSON: ${detail}`, { code: 'invalid_json' }), undefined);
      }
    };
    scope.addContentTypeParser('*', { parseAs: 'string' }, parseJson);
    // The same parser under the usual type: Fastify caches the parser it finds by name, but not
    // the catch-all, so without this every JSON request parsed its content-type header again.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);

    // The model the client asked for, as it wrote it, before anything can refuse the request;
    // then, unless access is open, the client's key and limits — in one hook, one call per request.
    // With no client keys configured (and none that can be added while running) and no budget
    // to keep, access is open: no per-request check at all.
    const checksClients = !services.auth.isOpen || services.auth.isDynamic || services.budgets !== undefined;
    scope.addHook('preValidation', (request, reply, done) => {
      const body = request.body;
      if (typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string') request.llmux.outcome.requestedModel = body.model;
      if (!checksClients || request.llmux.routeConfig.public === true) {
        done();
        return;
      }
      const refusal = admitClient(request, services);
      if (refusal === undefined) done();
      else sendProtocolError(request, reply, protocol, refusal);
    });

    scope.setErrorHandler((error: FastifyError | GatewayError, request, reply) => {
      return sendProtocolError(request, reply, protocol, fromFastifyError(error, services.config.body_limit));
    });

    protocol.register(scope, services);
  });
}

/** Checks the request's client key and its limits; the error to answer with, if refused. */
function admitClient(request: FastifyRequest, services: GatewayServices): GatewayError | undefined {
  const result = services.auth.authenticate(request.headers);
  if (result.outcome === 'open') return request.method === 'POST' ? services.budgets?.check(undefined, undefined) : undefined;
  if (result.outcome !== 'ok') {
    const message =
      result.outcome === 'missing' ? 'missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>"' : 'invalid API key';
    return new GatewayError('authentication', message, { code: 'invalid_api_key' });
  }
  const client = result.client;
  request.llmux.client = client;
  request.llmux.outcome.keyName = client.name;
  if (client.models !== undefined) request.llmux.dispatch.allowedModels = client.models;
  // Limits are for model calls: listing models (clients poll /api/tags, /v1/models) is free.
  if (request.method !== 'POST') return undefined;
  const overBudget = services.budgets?.check(client.name, client.budget);
  if (overBudget !== undefined) return overBudget;
  if (client.rpm === undefined && client.tpm === undefined) return undefined;
  const decision = services.rateLimiter.admit(client);
  if (!decision.allowed) {
    const limit = decision.limit === 'rpm' ? `${client.rpm} requests` : `${client.tpm} tokens`;
    return new GatewayError('rate_limit', `rate limit of ${limit} per minute reached for key '${client.name}'; retry in ${decision.retryAfterSeconds} s`, {
      retryAfterSeconds: decision.retryAfterSeconds,
      code: 'rate_limit_exceeded',
    });
  }
  return undefined;
}

export function sendProtocolError(request: FastifyRequest, reply: FastifyReply, protocol: InboundProtocol, error: GatewayError): FastifyReply {
  request.llmux.outcome.noteError(error);
  // Only a fault of llmux itself earns a stack trace; an upstream that failed or a client
  // mistake is logged as what it is, in one line.
  if (error.kind === 'internal') request.log.error({ err: error }, error.message);
  else if (error.status >= 500) request.log.warn({ status: error.status, kind: error.kind, upstreamStatus: error.upstreamStatus }, error.message);
  else request.log.info({ status: error.status, kind: error.kind }, error.message);
  const formatted = protocol.formatError(error);
  const headers: Record<string, string> = { ...llmuxHeaders(request), ...formatted.headers };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(error.retryAfterSeconds));
  // A 429 that waiting will not cure (a spent budget): the openai and anthropic SDKs read this and do not retry.
  if (error.status === 429 && !error.retryable) headers['x-should-retry'] = 'false';
  return reply.code(formatted.status).headers(headers).send(formatted.body);
}

/** Fastify's own errors (body too large, bad content) as GatewayErrors. */
function fromFastifyError(error: FastifyError | GatewayError, bodyLimit: number): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = bodyLimit >= 1024 * 1024 ? `${Math.round((bodyLimit / 1024 / 1024) * 10) / 10} MiB` : `${bodyLimit} bytes`;
    return new GatewayError('request_too_large', `request body is larger than the limit of ${limit} (body_limit in the config)`, { code: 'request_too_large' });
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new GatewayError(status === 413 ? 'request_too_large' : 'invalid_request', error.message, { status });
  }
  return toGatewayError(error);
}
