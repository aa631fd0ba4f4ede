import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { MaybePromise } from '../../routing/model-router.ts';
import type { OllamaModelEntry } from './ollama-model-directory.ts';
import type { OllamaRouteContext } from './ollama-route-context.ts';

/**
 * The model a chat, generate or embedding request goes to, or a 404 with the route's own wording
 * (`model '<name>' not found` unless given). A model the client's key may not use is refused here
 * as the dispatcher would refuse it, so that a load request (which reaches no upstream) cannot
 * list it in `/api/ps` either. Not a promise when the router knows the name at once; a refusal
 * may then be thrown rather than rejected (callers await it either way).
 */
export function resolveOllamaModel(request: FastifyRequest, context: OllamaRouteContext, name: string, notFoundMessage?: string): MaybePromise<OllamaModelEntry> {
  const found = context.directory.resolveNow(name);
  if (found instanceof Promise) return found.then((entry) => admit(request, context, name, entry, notFoundMessage));
  return admit(request, context, name, found, notFoundMessage);
}

function admit(request: FastifyRequest, context: OllamaRouteContext, name: string, entry: OllamaModelEntry | undefined, notFoundMessage: string | undefined): MaybePromise<OllamaModelEntry> {
  if (entry === undefined) return notFound(request, context, notFoundMessage ?? `model '${name}' not found`);
  if (!context.directory.allows(entry, request.llmux.dispatch.allowedModels)) {
    throw new GatewayError('permission', `this API key may not use model '${entry.servedName}'`, { param: 'model', code: 'model_not_allowed' });
  }
  return entry;
}

async function notFound(request: FastifyRequest, context: OllamaRouteContext, message: string): Promise<never> {
  // Ollama's own wording first (clients match on it), then what llmux knows, as the OpenAI routes say it.
  const hint = await context.services.router.knownModelsHint(request.llmux.dispatch.allowedModels);
  throw new GatewayError('not_found', `${message}; ${hint}`, { param: 'model', code: 'model_not_found' });
}
