import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

describe('Ollama wire edges', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'm' }]);
    provider.script = textScript('hi');
    gateway = await startTestGateway({}, { adapters: [provider] });
  });
  after(() => gateway.close());

  it('a keep_alive of 1e13 seconds is held as Go\'s longest duration: /api/ps still answers', async () => {
    const chat = await fetch(gateway.baseUrl + '/api/chat', {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, keep_alive: 1e13 }),
    });
    assert.equal(chat.status, 200);
    await chat.text();
    const ps = await fetch(gateway.baseUrl + '/api/ps');
    assert.equal(ps.status, 200);
    const { models } = (await ps.json()) as { models: { name: string; expires_at: string }[] };
    assert.equal(models[0]?.name, 'm:latest');
    // 2^63-1 ns from now: about 292 years on, as Ollama's time.Now().Add(math.MaxInt64) gives.
    const years = (Date.parse(models[0]?.expires_at ?? '') - Date.now()) / (365.25 * 86_400_000);
    assert.ok(years > 291 && years < 293, `expires_at is ${models[0]?.expires_at}`);
  });

  it('a keep_alive duration string beyond Go\'s range is refused as Go refuses it', async () => {
    const response = await fetch(gateway.baseUrl + '/api/chat', {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], keep_alive: '10000000000000s' }),
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'time: invalid duration "10000000000000s"' });
  });

  // gin's RedirectTrailingSlash (gin.Default() in ollama server/routes.go): GET 301, other methods 307.
  it('GET /api/tags/ is redirected 301 to /api/tags, the query kept', async () => {
    const response = await fetch(gateway.baseUrl + '/api/tags/?x=1', { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/api/tags?x=1');
    assert.equal(await response.text(), '<a href="/api/tags?x=1">Moved Permanently</a>.\n\n');
  });

  it('POST /api/show/ is redirected 307, and a client following it gets the answer', async () => {
    const manual = await fetch(gateway.baseUrl + '/api/show/', { method: 'POST', body: JSON.stringify({ model: 'm' }), redirect: 'manual' });
    assert.equal(manual.status, 307);
    assert.equal(manual.headers.get('location'), '/api/show');
    assert.equal(await manual.text(), '');
    const followed = await fetch(gateway.baseUrl + '/api/show/', { method: 'POST', body: JSON.stringify({ model: 'm' }) });
    assert.equal(followed.status, 200);
    assert.ok(((await followed.json()) as { capabilities?: unknown }).capabilities !== undefined);
  });

  it('HEAD /api/version/ and DELETE /api/delete/ are redirected 307; an unknown path stays 404', async () => {
    const head = await fetch(gateway.baseUrl + '/api/version/', { method: 'HEAD', redirect: 'manual' });
    assert.equal(head.status, 307);
    assert.equal(head.headers.get('location'), '/api/version');
    const del = await fetch(gateway.baseUrl + '/api/delete/', { method: 'DELETE', body: '{}', redirect: 'manual' });
    assert.equal(del.status, 307);
    const unknown = await fetch(gateway.baseUrl + '/api/nothing/', { redirect: 'manual' });
    assert.equal(unknown.status, 404);
  });
});
