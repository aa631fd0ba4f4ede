import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

describe('server basics', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await startTestGateway({});
  });
  after(() => gateway.close());

  it('answers /health once ready', async () => {
    const response = await fetch(`${gateway.baseUrl}/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.match(response.headers.get('x-llmux-overhead-ms') ?? '', /^\d+\.\d{3}$/);
  });

  it('answers GET and HEAD / as Ollama does', async () => {
    const response = await fetch(`${gateway.baseUrl}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await response.text(), 'Ollama is running');
    const head = await fetch(`${gateway.baseUrl}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  it('answers unknown paths with a plain 404', async () => {
    const response = await fetch(`${gateway.baseUrl}/nope`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), '404 page not found');
  });

  it('allows Ollama default origins and answers preflight with 204', async () => {
    const response = await fetch(`${gateway.baseUrl}/health`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('refuses a disallowed origin with a bare 403', async () => {
    const response = await fetch(`${gateway.baseUrl}/health`, { headers: { origin: 'https://evil.example' } });
    assert.equal(response.status, 403);
  });

  it('refuses a foreign Host header on a loopback listen (DNS rebinding)', async () => {
    const { request } = await import('undici');
    const response = await request(`${gateway.baseUrl}/health`, { headers: { host: 'attacker.example' } });
    assert.equal(response.statusCode, 403);
    await response.body.dump();
  });
});
