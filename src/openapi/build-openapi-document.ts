import { z } from 'zod';
import type { DocumentedMethod, RouteDoc } from './route-doc.ts';

/** A route as Fastify registered it. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/**
 * The OpenAPI 3.1 description of the routes that exist: every registered route (Fastify's own
 * list, so a route added anywhere appears), described by its RouteDoc; request bodies are the
 * JSON Schema of the zod schemas that validate them. A route with no doc still appears, marked
 * `x-llmux-undocumented`. HEAD routes Fastify adds beside GETs are left out.
 */
export function buildOpenApiDocument(routes: readonly RegisteredRoute[], docs: readonly RouteDoc[], version: string): OpenApiDocument {
  const byKey = new Map(docs.map((doc) => [`${doc.method} ${doc.path}`, doc]));
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'llmux',
      version,
      description: 'One endpoint speaking the OpenAI and Ollama APIs (and more), served from upstream providers.',
    },
    paths: {},
    components: {
      schemas: {},
      securitySchemes: {
        clientKey: { type: 'http', scheme: 'bearer', description: 'A client key (also accepted as x-api-key); not needed while no key is configured' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'The admin key (admin_key / LLMUX_ADMIN_KEY)' },
      },
    },
  };
  const gets = new Set(routes.filter((route) => route.method === 'GET').map((route) => route.url));
  for (const route of routes) {
    const method = route.method as DocumentedMethod;
    const doc = byKey.get(`${method} ${route.url}`);
    if (doc === undefined && method === 'HEAD' && gets.has(route.url)) continue;
    const path = openApiPath(route.url);
    const operations = (document.paths[path] ??= {});
    operations[method.toLowerCase()] = doc === undefined ? { summary: `${method} ${route.url}`, 'x-llmux-undocumented': true, responses: { default: { description: 'see the protocol' } } } : operation(doc, document);
  }
  return document;
}

function operation(doc: RouteDoc, document: OpenApiDocument): Record<string, unknown> {
  const result: Record<string, unknown> = { summary: doc.summary, tags: [doc.tag], operationId: `${doc.method.toLowerCase()}${doc.path.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase())}` };
  const parameters: unknown[] = [...doc.path.matchAll(/:(\w+)|\*/g)].map((match) => ({ name: match[1] ?? 'path', in: 'path', required: true, schema: { type: 'string' } }));
  for (const [name, description] of Object.entries(doc.query ?? {})) parameters.push({ name, in: 'query', required: false, description, schema: { type: 'string' } });
  if (parameters.length > 0) result.parameters = parameters;
  if (doc.body !== undefined) {
    document.components.schemas[doc.body.name] ??= jsonSchema(doc.body.schema);
    result.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${doc.body.name}` } } } };
  }
  const content: Record<string, unknown> = { 'application/json': {} };
  for (const type of doc.produces ?? []) content[type] = {};
  result.responses = { '200': { description: 'success', content }, default: { description: "an error, in the protocol's own error shape" } };
  if (doc.security !== 'none') result.security = [{ [doc.security === 'admin' ? 'adminKey' : 'clientKey']: [] }];
  return result;
}

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), describing what a client may send. */
function jsonSchema(schema: z.ZodType): unknown {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete converted.$schema;
  return converted;
}

/** `/admin/keys/:name` → `/admin/keys/{name}`; a trailing `*` → `{path}`. */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');
}
