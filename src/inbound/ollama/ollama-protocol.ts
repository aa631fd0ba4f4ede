import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InboundProtocol } from '../../server/register-protocol-scope.ts';
import type { GatewayServices } from '../../server/gateway-services.ts';
import { HIDDEN_FROM_OPENAPI } from '../../openapi/route-doc.ts';
import { formatOllamaError } from './format-ollama-error.ts';
import { OLLAMA_ROUTE_DOCS } from './ollama-route-docs.ts';
import { OllamaModelDirectory } from './ollama-model-directory.ts';
import type { OllamaRouteContext } from './ollama-route-context.ts';
import { OllamaRunningModels } from './ollama-running-models.ts';
import { registerOllamaChatRoutes } from './register-ollama-chat-routes.ts';
import { registerOllamaEmbeddingRoutes } from './register-ollama-embedding-routes.ts';
import { registerOllamaManagementRoutes } from './register-ollama-management-routes.ts';
import { registerOllamaModelRoutes } from './register-ollama-model-routes.ts';

/** Paths and the methods they answer; any other method gets Ollama's (gin's) plain 405. */
const ROUTE_METHODS: Record<string, string[]> = {
  '/api/chat': ['POST'],
  '/api/generate': ['POST'],
  '/api/embed': ['POST'],
  '/api/embeddings': ['POST'],
  '/api/show': ['POST'],
  '/api/pull': ['POST'],
  '/api/push': ['POST'],
  '/api/create': ['POST'],
  '/api/copy': ['POST'],
  '/api/delete': ['DELETE'],
  '/api/tags': ['GET', 'HEAD'],
  '/api/ps': ['GET', 'HEAD'],
  '/api/version': ['GET', 'HEAD'],
};
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The Ollama API (`/api/*`), answering as Ollama does, byte for byte where clients depend on it.
 * Each gateway gets its own model directory and running-model list.
 * https://github.com/ollama/ollama/blob/main/docs/api.md
 */
export const OLLAMA_PROTOCOL: InboundProtocol = {
  name: 'ollama',
  pathPrefixes: ['/api/'],
  formatError: formatOllamaError,
  routeDocs: OLLAMA_ROUTE_DOCS,
  register(scope: FastifyInstance, services: GatewayServices): void {
    const context: OllamaRouteContext = {
      services,
      directory: new OllamaModelDirectory(services.router),
      running: new OllamaRunningModels(),
      startedAt: Date.now(),
    };
    registerOllamaChatRoutes(scope, context);
    registerOllamaEmbeddingRoutes(scope, context);
    registerOllamaModelRoutes(scope, context);
    registerOllamaManagementRoutes(scope, context);
    for (const [url, allowed] of Object.entries(ROUTE_METHODS)) {
      const others = METHODS.filter((method) => !allowed.includes(method) && !(method === 'HEAD' && allowed.includes('GET')));
      scope.route({
        method: others,
        url,
        config: HIDDEN_FROM_OPENAPI,
        handler: async (_request, reply) => reply.code(405).type('text/plain; charset=utf-8').send('405 method not allowed'),
      });
      scope.route({ method: allowed.filter((method) => method !== 'HEAD'), url: url + '/', config: HIDDEN_FROM_OPENAPI, handler: redirectTrailingSlash });
    }
  },
};

/**
 * `/api/tags/` → `/api/tags`, as gin's router does with `RedirectTrailingSlash` (on in
 * `gin.Default()`, which github:ollama/ollama server/routes.go uses): 301 for GET, 307 for every
 * other method so a POST is repeated with its body; the query string is kept, and a GET gets
 * net/http's `http.Redirect` HTML line.
 */
async function redirectTrailingSlash(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const location = path.replace(/\/+$/, '') + (queryAt === -1 ? '' : request.url.slice(queryAt));
  reply.code(request.method === 'GET' ? 301 : 307).header('location', location);
  if (request.method === 'POST' || request.method === 'DELETE') return reply.send();
  const escaped = location.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  return reply.type('text/html; charset=utf-8').send(request.method === 'GET' ? `<a href="${escaped}">Moved Permanently</a>.\n\n` : '');
}
