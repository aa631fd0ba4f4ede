import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { OllamaModelEntry } from './ollama-model-directory.ts';
import type { OllamaRouteContext } from './ollama-route-context.ts';

/**
 * The model a chat, generate or embedding request goes to, or a 404 with the route's own wording.
 * A model the client's key may not use is refused here as the dispatcher would refuse it, so that
 * a load request (which reaches no upstream) cannot list it in `/api/ps` either.
 */
export async function resolveOllamaModel(
  request: FastifyRequest,
  context: OllamaRouteContext,
  name: string,
  notFoundMessage = `model '${name}' not found`,
): Promise<OllamaModelEntry> {
  const entry = await context.directory.resolve(name);
  if (entry === undefined) {
    // Ollama's own wording first (clients match on it), then what llmux knows, as the OpenAI routes say it.
    const hint = await context.services.router.knownModelsHint(request.llmux.dispatch.allowedModels);
    throw new GatewayError('not_found', `${notFoundMessage}; ${hint}`, { param: 'model', code: 'model_not_found' });
  }
  if (!context.directory.allows(entry, request.llmux.dispatch.allowedModels)) {
    throw new GatewayError('permission', `this API key may not use model '${entry.servedName}'`, { param: 'model', code: 'model_not_allowed' });
  }
  return entry;
}
