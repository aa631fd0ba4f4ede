import type { FastifyInstance } from 'fastify';
import packageJson from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument, type OpenApiDocument, type RegisteredRoute } from './build-openapi-document.ts';
import type { RouteDoc } from './route-doc.ts';

/**
 * Collects every route as it is registered (call before any route is added), and serves
 * `GET /openapi.json` built from them and `docs()` — so a route added anywhere shows up.
 */
export function registerOpenApiRoute(app: FastifyInstance, docs: () => readonly RouteDoc[]): void {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const config = route.config as { openapi?: boolean } | undefined;
    if (config?.openapi === false || route.url === '*') return;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) routes.push({ method, url: route.url });
  });
  let document: OpenApiDocument | undefined;
  app.get('/openapi.json', async () => (document ??= buildOpenApiDocument(routes, docs(), packageJson.version)));
}
