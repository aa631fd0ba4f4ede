import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { HIDDEN_FROM_OPENAPI } from '../../openapi/route-doc.ts';

/**
 * Any other `/v1/…` path answers as api.openai.com does (`404 Invalid URL (POST /v1/…)` in its
 * error shape) so OpenAI clients show a readable error instead of failing to parse plain text.
 * Routes other protocols register under `/v1` are more specific and still win; OPTIONS is left to
 * the CORS preflight handler.
 */
export function registerOpenAIUnknownRoutes(scope: FastifyInstance): void {
  scope.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/v1/*',
    config: HIDDEN_FROM_OPENAPI,
    handler: async (request) => {
      const path = request.url.split('?')[0] ?? request.url;
      throw new GatewayError('not_found', `Invalid URL (${request.method} ${path})`, { code: 'unknown_url' });
    },
  });
}
