import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { ollamaCopyRequestSchema, ollamaCreateRequestSchema, ollamaDeleteRequestSchema, ollamaPullRequestSchema } from './ollama-model-request-schemas.ts';
import type { OllamaRouteContext } from './ollama-route-context.ts';
import { parseOllamaBody } from './parse-ollama-body.ts';
import { clipText, MAX_QUOTED_CHARS, quoteClientText } from '../../canonical/quote-client-text.ts';

const NOT_SUPPORTED = 'model management is not supported by this server: llmux serves the models of its configured providers';

/**
 * Create, copy, push, delete and blobs: llmux stores no models, so these answer JSON 4xx errors
 * in Ollama's shape (403 where the model exists, 404 where it does not), never a crash or HTML.
 */
export function registerOllamaManagementRoutes(scope: FastifyInstance, context: OllamaRouteContext): void {
  scope.post('/api/create', async (request) => {
    const body = parseOllamaBody(ollamaCreateRequestSchema, request.body, 'CreateRequest');
    if ((body.model || body.name || '') === '') throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    if ((body.from ?? '') === '' && body.files === undefined) {
      throw new GatewayError('invalid_request', "neither 'from' or 'files' was specified");
    }
    throw notSupported();
  });

  scope.post('/api/copy', async (request) => {
    const body = parseOllamaBody(ollamaCopyRequestSchema, request.body, 'CopyRequest');
    const source = body.source ?? '';
    if (!(await exists(request, context, source))) throw new GatewayError('not_found', `model ${quoteClientText(source)} not found`);
    throw notSupported();
  });

  scope.post('/api/push', async (request) => {
    const body = parseOllamaBody(ollamaPullRequestSchema, request.body, 'PushRequest');
    const name = body.model || body.name || '';
    if (name === '') throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    if (!(await exists(request, context, name))) throw new GatewayError('not_found', `model '${clipText(name, MAX_QUOTED_CHARS)}' not found`);
    throw notSupported();
  });

  scope.delete('/api/delete', async (request) => {
    const body = parseOllamaBody(ollamaDeleteRequestSchema, request.body, 'DeleteRequest');
    const name = body.model || body.name || '';
    if (name === '') throw new GatewayError('invalid_request', `name ${quoteClientText(name)} is invalid`, { param: 'model' });
    if (!(await exists(request, context, name))) throw new GatewayError('not_found', `model '${clipText(name, MAX_QUOTED_CHARS)}' not found`);
    throw notSupported();
  });

  // No blob is ever stored. The POST is answered before its (possibly huge, binary) body is read.
  scope.head('/api/blobs/:digest', async (_request, reply) => reply.code(404).send());
  scope.post('/api/blobs/:digest', { onRequest: async () => Promise.reject(notSupported()) }, async () => undefined);
}

/** Whether the model is served and the client's key may see it: a hidden model is answered as unknown. */
async function exists(request: FastifyRequest, context: OllamaRouteContext, name: string): Promise<boolean> {
  const entry = await context.directory.find(name);
  return entry !== undefined && context.directory.allows(entry, request.llmux.dispatch.allowedModels);
}

function notSupported(): GatewayError {
  return new GatewayError('permission', NOT_SUPPORTED, { code: 'not_supported' });
}
