import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ListedModel } from '../../routing/model-router.ts';
import type { GatewayServices } from '../../server/gateway-services.ts';

export interface AnthropicModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
  max_input_tokens?: number;
}

/**
 * Requests that carry `anthropic-version` are an Anthropic client's: `GET /v1/models` answers them
 * in Anthropic's shape, every other request in OpenAI's (the same path, told apart by the header,
 * as Fastify route constraints do it).
 */
const CONSTRAINT = 'llmuxApiFlavour';
const ANTHROPIC = 'anthropic';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

export function registerAnthropicModelRoutes(scope: FastifyInstance, services: GatewayServices): void {
  scope.addConstraintStrategy({
    name: CONSTRAINT,
    storage() {
      const handlers = new Map<string, unknown>();
      return {
        get: (value: string) => (handlers.get(value) ?? null) as never,
        set: (value: string, handler: unknown) => void handlers.set(value, handler),
      };
    },
    deriveConstraint: (request) => (request.headers['anthropic-version'] === undefined ? undefined : ANTHROPIC) as never,
    mustMatchWhenDerived: false,
  });
  const constraints = { [CONSTRAINT]: ANTHROPIC };
  const startedAt = new Date().toISOString();
  const toModelInfo = (listed: ListedModel): AnthropicModelInfo => {
    const info: AnthropicModelInfo = {
      type: 'model',
      id: listed.name,
      display_name: listed.name,
      created_at: listed.created === undefined ? startedAt : new Date(listed.created * 1000).toISOString(),
    };
    if (listed.contextLength !== undefined) info.max_input_tokens = listed.contextLength;
    return info;
  };
  const allowedModels = async (allowed: ReadonlySet<string> | undefined): Promise<ListedModel[]> =>
    (await services.router.list()).filter((model) => allowed === undefined || allowed.has(model.name));

  // GET /v1/models?limit=&after_id=&before_id=: one page, as the API pages it.
  scope.get('/v1/models', { constraints }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new GatewayError('invalid_request', `limit: must be an integer from 1 to ${MAX_LIMIT}`, { param: 'limit' });
    }
    const models = (await allowedModels(request.llmux.dispatch.allowedModels)).map(toModelInfo);
    const position = (id: string | undefined, name: string): number | undefined => {
      if (id === undefined) return undefined;
      const index = models.findIndex((model) => model.id === id);
      if (index < 0) throw new GatewayError('not_found', `${name}: no model '${id}'`, { param: name });
      return index;
    };
    const after = position(query.after_id, 'after_id');
    const before = position(query.before_id, 'before_id');
    let start = after === undefined ? 0 : after + 1;
    const end = before ?? models.length;
    if (before !== undefined && after === undefined) start = Math.max(0, end - limit);
    const page = models.slice(start, Math.min(end, start + limit));
    const hasMore = before !== undefined && after === undefined ? start > 0 : start + page.length < end;
    return reply.send({ data: page, has_more: hasMore, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null });
  });

  scope.get('/v1/models/*', { constraints }, async (request, reply) => {
    const id = (request.params as Record<string, string | undefined>)['*'] ?? '';
    const allowed = request.llmux.dispatch.allowedModels;
    const found = (await allowedModels(allowed)).find((model) => model.name === id);
    if (found !== undefined) return reply.send(toModelInfo(found));
    const resolved = allowed === undefined || allowed.has(id) ? await services.router.tryResolve(id) : undefined;
    const target = resolved?.targets[0];
    if (resolved === undefined || target === undefined) throw new GatewayError('not_found', `model: ${id}`, { param: 'model' });
    const created = resolved.upstream?.created;
    return reply.send(toModelInfo({ name: id, target, ...(resolved.contextLength === undefined ? {} : { contextLength: resolved.contextLength }), ...(created === undefined ? {} : { created }) }));
  });
}
