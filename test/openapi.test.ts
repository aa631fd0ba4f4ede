import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { createApp } from '../src/app.ts';
import { gatewayConfigSchema } from '../src/config/gateway-config-schema.ts';
import { INBOUND_PROTOCOLS } from '../src/inbound/inbound-protocols.ts';
import { openAIChatRequestSchema } from '../src/inbound/openai/openai-chat-request-schema.ts';
import { createLogger } from '../src/observability/create-logger.ts';
import { buildGateway } from '../src/server/build-gateway.ts';
import type { InboundProtocol } from '../src/server/register-protocol-scope.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { summary: string; requestBody?: { content: Record<string, { schema: { $ref: string } }> }; 'x-llmux-undocumented'?: boolean }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

describe('GET /openapi.json', () => {
  let gateway: TestGateway;
  let document: Document;
  before(async () => {
    gateway = await startTestGateway({});
    const response = await fetch(`${gateway.baseUrl}/openapi.json`);
    assert.equal(response.status, 200);
    document = (await response.json()) as Document;
  });
  after(() => gateway.close());

  it('describes every route llmux serves, each documented, and only routes that exist', () => {
    assert.equal(document.openapi, '3.1.0');
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.notEqual(operation['x-llmux-undocumented'], true, `${method.toUpperCase()} ${path} has no RouteDoc: add one beside its protocol's routes`);
        const url = path.replace(/\{path\}$/, '*').replace(/\{(\w+)\}/g, ':$1');
        assert.ok(gateway.app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method.toUpperCase()} ${path} is described but not served`);
        if (method === 'post' || method === 'patch') {
          if (path === '/api/blobs/{digest}') continue;
          assert.ok(operation.requestBody !== undefined, `${method.toUpperCase()} ${path} has no request body schema`);
        }
      }
    }
    const listed = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    for (const expected of ['POST /v1/chat/completions', 'POST /api/chat', 'GET /api/tags', 'GET /v1/models/{path}', 'GET /health', 'GET /metrics', 'GET /openapi.json', 'POST /admin/keys', 'DELETE /admin/keys/{name}', 'GET /admin/usage']) {
      assert.ok(listed.includes(expected), expected);
    }
    assert.ok(!listed.some((operation) => operation.startsWith('PUT /api/')), "Ollama's 405 answers are not routes to describe");
    assert.ok(!listed.includes('GET /v1/{path}'), 'the catch-all is not a route to describe');
  });

  it('takes request bodies from the zod schemas that validate them', () => {
    const reference = document.paths['/v1/chat/completions']?.post?.requestBody?.content['application/json']?.schema.$ref;
    assert.equal(reference, '#/components/schemas/OpenAIChatCompletionRequest');
    const expected = z.toJSONSchema(openAIChatRequestSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete expected.$schema;
    assert.deepEqual(document.components.schemas.OpenAIChatCompletionRequest, expected);
    assert.ok('messages' in ((document.components.schemas.OllamaChatRequest?.properties ?? {}) as object));
  });

  it('picks up a route a protocol adds, documented or not', async () => {
    const extra: InboundProtocol = {
      name: 'extra',
      formatError: (error) => ({ status: error.status, body: { error: error.message } }),
      routeDocs: [{ method: 'POST', path: '/v1/extra', summary: 'An extra route', tag: 'extra', security: 'client', body: { name: 'Extra', schema: z.object({ model: z.string() }) } }],
      register(scope) {
        scope.post('/v1/extra', async () => ({}));
        scope.get('/v1/forgotten', async () => ({}));
      },
    };
    const log = createLogger('silent');
    const built = await buildGateway(gatewayConfigSchema.parse({}), log);
    const app = createApp({ services: built.services, protocols: [extra, ...INBOUND_PROTOCOLS], listenHost: '127.0.0.1', logger: log });
    const extraDocument = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as Document;
    assert.equal(extraDocument.paths['/v1/extra']?.post?.summary, 'An extra route');
    assert.deepEqual(extraDocument.components.schemas.Extra?.required, ['model']);
    assert.equal(extraDocument.paths['/v1/forgotten']?.get?.['x-llmux-undocumented'], true);
    await app.close();
    await built.close();
  });
});
