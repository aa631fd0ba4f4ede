import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GatewayServices } from '../server/gateway-services.ts';
import { USAGE_GROUPINGS } from '../state/usage-store.ts';
import { parseSince } from '../usage/parse-since.ts';
import { checkAdminAccess } from './admin-access.ts';
import { createClientKeyInputSchema, updateClientKeyInputSchema } from './client-key-input-schemas.ts';
import { ClientKeyManager, KeyManagementError } from './client-key-manager.ts';

const usageQuerySchema = z.object({
  by: z.enum(USAGE_GROUPINGS).default('key'),
  since: z.string().default('30d'),
  records: z.coerce.number().int().positive().max(1000).optional(),
});

/**
 * `/admin/keys` (stored client keys) and `/admin/usage` (the usage records), for the admin key;
 * JSON in and out, errors as `{"error":{"message","type"}}`.
 */
export function registerAdminRoutes(app: FastifyInstance, services: GatewayServices): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', (request, reply, done) => {
      const refusal = checkAdminAccess(request, services);
      if (refusal === undefined) done();
      else void fail(reply, refusal.status, refusal.message, refusal.status === 401 ? 'authentication_error' : 'permission_error');
    });
    scope.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      if (error instanceof KeyManagementError) return fail(reply, error.status, error.message, error.status === 404 ? 'not_found_error' : 'invalid_request_error');
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) services.log.error({ err: error }, error.message);
      return fail(reply, status, status === 500 ? 'internal error' : error.message, status === 500 ? 'api_error' : 'invalid_request_error');
    });

    const manager = (): ClientKeyManager | undefined => {
      const state = services.state;
      if (state === undefined) return undefined;
      return new ClientKeyManager(state.keys, new Set(services.config.keys.map((key, index) => key.name ?? `key-${index + 1}`)));
    };
    const noState = (reply: FastifyReply): FastifyReply => fail(reply, 503, 'this llmux runs without a state store: no stored keys or usage records', 'api_error');

    scope.get('/admin/keys', async (_request, reply) => {
      const keys = manager();
      if (keys === undefined) return noState(reply);
      return { keys: await keys.list() };
    });
    scope.post('/admin/keys', async (request, reply) => {
      const keys = manager();
      if (keys === undefined) return noState(reply);
      const input = parse(createClientKeyInputSchema, request.body, reply);
      if (input === undefined) return reply;
      const created = await keys.create(input);
      return reply.code(201).send({ key: created.key, secret: created.secret });
    });
    scope.get('/admin/keys/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
      const keys = manager();
      if (keys === undefined) return noState(reply);
      const key = await keys.show(request.params.name);
      const spent = services.budgets === undefined ? null : { day: services.budgets.spent(key.name, 'day'), month: services.budgets.spent(key.name, 'month') };
      return { key, spent_usd: spent };
    });
    scope.patch('/admin/keys/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
      const keys = manager();
      if (keys === undefined) return noState(reply);
      const input = parse(updateClientKeyInputSchema, request.body, reply);
      if (input === undefined) return reply;
      return { key: await keys.update(request.params.name, input) };
    });
    scope.delete('/admin/keys/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
      const keys = manager();
      if (keys === undefined) return noState(reply);
      return { key: await keys.revoke(request.params.name) };
    });
    scope.get('/admin/usage', async (request, reply) => {
      const state = services.state;
      if (state === undefined) return noState(reply);
      const query = parse(usageQuerySchema, request.query, reply);
      if (query === undefined) return reply;
      const since = parseSince(query.since);
      if (since === undefined) return fail(reply, 400, 'since: expected a span like 7d, 24h, 30m, 2w or a date like 2026-01-01', 'invalid_request_error');
      // Records still queued are written first, so an answer includes every finished request.
      await services.usage?.flush();
      if (query.records !== undefined) return { since: new Date(since).toISOString(), records: await state.usage.recent(query.records, since) };
      return { by: query.by, since: new Date(since).toISOString(), rows: await state.usage.summarize({ by: query.by, since }) };
    });
  });
}

function parse<T>(schema: z.ZodType<T>, input: unknown, reply: FastifyReply): T | undefined {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  void fail(reply, 400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, 'invalid_request_error');
  return undefined;
}

function fail(reply: FastifyReply, status: number, message: string, type: string): FastifyReply {
  return reply.code(status).send({ error: { message, type } });
}
