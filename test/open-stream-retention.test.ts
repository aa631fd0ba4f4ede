import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';
import { collectGarbage } from '../test-support/collect-garbage.ts';

const CHUNK = (delta: string): string => `data: {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1745000000,"model":"qwen3-32b","choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`;

/**
 * An open stream keeps nothing of the body the client sent: once the answer streams, the parsed
 * request (Fastify's `request.body`, and the route handler's locals, which a suspended async
 * function would keep) is garbage; what the stream still needs is in the canonical request. An
 * agent's turn is tens to hundreds of KB, held per open stream for as long as the answer takes.
 * The fake upstream sends a first token and then holds the stream open until llmux lets it go.
 */
describe('open streams: the request body is let go once the answer streams', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;
  const bodies = new Map<string, WeakRef<object>>();

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    upstream.on('POST', '/up/v1/chat/completions', async (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(CHUNK('{"role":"assistant","content":""}') + CHUNK('{"content":"Hel"}'));
      await new Promise((resolve) => response.once('close', resolve));
    });
    gateway = await startTestGateway(
      { providers: [{ id: 'local', type: 'openai-compatible', base_url: `${upstream.baseUrl}/up/v1`, api_key: 'sk-local' }] },
      {
        beforeListen: (app) =>
          app.addHook('preHandler', (request, _reply, done) => {
            const marker = request.headers['x-test-body'];
            if (typeof marker === 'string' && typeof request.body === 'object' && request.body !== null) bodies.set(marker, new WeakRef(request.body));
            done();
          }),
      },
    );
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const routes: [string, string, object][] = [
    ['/v1/chat/completions', 'data: ', { model: 'local/qwen3-32b', stream: true, messages: [{ role: 'user', content: 'Hi' }] }],
    ['/v1/messages', 'event: ', { model: 'local/qwen3-32b', stream: true, max_tokens: 64, system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }],
    ['/v1/responses', 'event: ', { model: 'local/qwen3-32b', stream: true, store: false, input: 'Hi' }],
    ['/api/chat', '{"model"', { model: 'local/qwen3-32b', stream: true, messages: [{ role: 'user', content: 'Hi' }] }],
    ['/v1/completions', 'data: ', { model: 'local/qwen3-32b', stream: true, prompt: 'Hi' }],
  ];
  for (const [path, opening, body] of routes) {
    it(`${path}: the parsed body is garbage while the stream is open`, async () => {
      const client = new AbortController();
      const response = await fetch(`${gateway.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-body': path },
        body: JSON.stringify(body),
        signal: client.signal,
      });
      assert.equal(response.status, 200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      assert.ok(new TextDecoder().decode(first.value).startsWith(opening));
      const parsed = bodies.get(path);
      assert.ok(parsed !== undefined, 'the hook saw the parsed body');
      await collectGarbage();
      assert.equal(parsed.deref(), undefined, 'the parsed body is still reachable from the open stream');
      client.abort();
      await reader.cancel().catch(() => undefined);
    });
  }
});
