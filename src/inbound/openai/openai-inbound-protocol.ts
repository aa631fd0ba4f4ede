import type { InboundProtocol } from '../../server/register-protocol-scope.ts';
import { registerOpenAIChatRoutes } from './openai-chat-routes.ts';
import { registerOpenAICompletionRoutes } from './openai-completion-routes.ts';
import { registerOpenAIEmbeddingRoutes } from './openai-embedding-routes.ts';
import { formatOpenAIError } from './openai-error-response.ts';
import { registerOpenAIImageRoutes } from './openai-image-routes.ts';
import { registerOpenAIModelRoutes } from './openai-model-routes.ts';
import { OPENAI_ROUTE_DOCS } from './openai-route-docs.ts';
import { registerOpenAIUnknownRoutes } from './openai-unknown-routes.ts';
import { registerResponsesRoutes } from './responses/register-responses-routes.ts';

/** The OpenAI API under `/v1` (chat, legacy completions, models, embeddings, images, responses). */
export const OPENAI_INBOUND_PROTOCOL: InboundProtocol = {
  name: 'openai',
  pathPrefixes: ['/v1/'],
  formatError: formatOpenAIError,
  routeDocs: OPENAI_ROUTE_DOCS,
  register(scope, services) {
    registerOpenAIChatRoutes(scope, services);
    registerOpenAICompletionRoutes(scope, services);
    registerOpenAIModelRoutes(scope, services);
    registerOpenAIEmbeddingRoutes(scope, services);
    registerOpenAIImageRoutes(scope, services);
    registerResponsesRoutes(scope, services);
    registerOpenAIUnknownRoutes(scope);
  },
};
