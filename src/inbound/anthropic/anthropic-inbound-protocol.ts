import type { InboundProtocol } from '../../server/register-protocol-scope.ts';
import { formatAnthropicError } from './anthropic-error-response.ts';
import { registerAnthropicMessagesRoutes, type AnthropicRouteOptions } from './anthropic-messages-routes.ts';
import { registerAnthropicModelRoutes } from './anthropic-model-routes.ts';
import { ANTHROPIC_ROUTE_DOCS } from './anthropic-route-docs.ts';

/**
 * The Anthropic Messages API: `/v1/messages`, `/v1/messages/count_tokens`, and `/v1/models` for
 * requests that carry `anthropic-version`. Keys come as `x-api-key` or `Authorization: Bearer`
 * (Claude Code's ANTHROPIC_AUTH_TOKEN); any `anthropic-version` and `anthropic-beta` is accepted.
 * Every answer carries Anthropic's `request-id` header.
 */
export function createAnthropicInboundProtocol(options: AnthropicRouteOptions = {}): InboundProtocol {
  return {
    name: 'anthropic',
    pathPrefixes: ['/v1/messages'],
    formatError: formatAnthropicError,
    routeDocs: ANTHROPIC_ROUTE_DOCS,
    register(scope, services) {
      scope.addHook('onRequest', (request, reply, done) => {
        reply.header('request-id', String(request.id));
        done();
      });
      registerAnthropicMessagesRoutes(scope, services, options);
      registerAnthropicModelRoutes(scope, services);
    },
  };
}

export const ANTHROPIC_INBOUND_PROTOCOL = createAnthropicInboundProtocol();
