import type { FastifyInstance } from 'fastify';
import type { ModelCapability } from '../../canonical/model-info.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { describeModel } from '../../routing/describe-model.ts';
import type { ListedModel } from '../../routing/model-router.ts';
import type { GatewayServices } from '../../server/gateway-services.ts';
import { clipText, MAX_QUOTED_CHARS } from '../../canonical/quote-client-text.ts';

export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  /** Not OpenAI's, but read by clients that size prompts (as OpenRouter and LiteLLM report it). */
  context_length?: number;
  capabilities?: ModelCapability[];
}

const KNOWN_MODELS_SHOWN = 25;

/**
 * `GET /v1/models` and `GET /v1/models/{id}` (ids may contain `/`: `cerebras/gpt-oss-120b`).
 * The list is never `data:null` (Ollama's bug with no models), and a client key limited to some
 * models sees only those.
 */
export function registerOpenAIModelRoutes(scope: FastifyInstance, services: GatewayServices): void {
  // Models without a creation time from their provider show when this gateway started.
  const startedAt = Math.floor(Date.now() / 1000);
  const toOpenAIModel = (listed: ListedModel): OpenAIModel => {
    const model: OpenAIModel = { id: listed.name, object: 'model', created: listed.created ?? startedAt, owned_by: listed.target.provider.id };
    const described = describeModel({ ...listed, upstreamModel: listed.target.upstreamModel });
    if (described.contextLength !== undefined) model.context_length = described.contextLength;
    model.capabilities = described.capabilities;
    return model;
  };

  const allowedModels = async (allowed: ReadonlySet<string> | undefined): Promise<ListedModel[]> =>
    (await services.router.list()).filter((model) => allowed === undefined || allowed.has(model.name));

  scope.get('/v1/models', async (request, reply) => {
    const listed = await allowedModels(request.llmux.dispatch.allowedModels);
    return reply.send({ object: 'list', data: listed.map(toOpenAIModel) });
  });

  scope.get('/v1/models/*', async (request, reply) => {
    const id = (request.params as Record<string, string | undefined>)['*'] ?? '';
    const allowed = request.llmux.dispatch.allowedModels;
    const listed = await allowedModels(allowed);
    const found = listed.find((model) => model.name === id);
    if (found !== undefined) return reply.send(toOpenAIModel(found));
    const resolved = allowed === undefined || allowed.has(id) ? await services.router.tryResolve(id) : undefined;
    const target = resolved?.targets[0];
    if (resolved !== undefined && target !== undefined) {
      const created = resolved.upstream?.created;
      return reply.send(toOpenAIModel({ name: id, target, contextLength: resolved.contextLength, capabilities: resolved.capabilities, created }));
    }
    const known = listed.map((model) => model.name);
    const hint = known.length === 0 ? 'no models are available' : `known models: ${known.slice(0, KNOWN_MODELS_SHOWN).join(', ')}${known.length > KNOWN_MODELS_SHOWN ? ', …' : ''}`;
    throw new GatewayError('not_found', `model '${clipText(id, MAX_QUOTED_CHARS)}' not found; ${hint}`, { param: 'model', code: 'model_not_found' });
  });
}
