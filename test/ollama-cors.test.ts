import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

function chatBody(): string {
  return JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false });
}

describe('Ollama CORS, host guard and client quirks, as Ollama behaves', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'm' }]);
    provider.script = textScript('ok');
    gateway = await startTestGateway({}, { adapters: [provider], ollamaOrigins: 'chrome-extension://abcdef' });
  });
  after(() => gateway.close());

  it("allows Ollama's default origins, Obsidian's app:// included", async () => {
    for (const origin of ['http://localhost:3000', 'https://127.0.0.1', 'app://obsidian.md', 'vscode-webview://x', 'tauri://localhost']) {
      const response = await fetch(`${gateway.baseUrl}/api/tags`, { headers: { origin } });
      assert.equal(response.status, 200, origin);
      assert.equal(response.headers.get('access-control-allow-origin'), origin);
      await response.body?.cancel();
    }
  });

  it('answers the preflight of a browser chat with 204 and the allowed methods and headers', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/chat`, {
      method: 'OPTIONS',
      headers: { origin: 'app://obsidian.md', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'app://obsidian.md');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  });

  it('carries the CORS header on streamed answers too', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { origin: 'app://obsidian.md' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
    assert.equal(response.headers.get('access-control-allow-origin'), 'app://obsidian.md');
    await response.text();
  });

  it('refuses chrome-extension:// origins unless OLLAMA_ORIGINS names them', async () => {
    const refused = await fetch(`${gateway.baseUrl}/api/tags`, { headers: { origin: 'chrome-extension://other' } });
    assert.equal(refused.status, 403);
    await refused.body?.cancel();
    const allowed = await fetch(`${gateway.baseUrl}/api/tags`, { headers: { origin: 'chrome-extension://abcdef' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'chrome-extension://abcdef');
    await allowed.body?.cancel();
    const site = await fetch(`${gateway.baseUrl}/api/chat`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(site.status, 403);
    await site.body?.cancel();
  });

  it('answers ACAO: * when OLLAMA_ORIGINS is *', async () => {
    const open = await startTestGateway({}, { adapters: [provider], ollamaOrigins: '*' });
    try {
      const response = await fetch(`${open.baseUrl}/api/version`, { headers: { origin: 'chrome-extension://anything' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      await response.body?.cancel();
    } finally {
      await open.close();
    }
  });

  it('refuses a foreign Host header on a loopback listen, and accepts localhost', async () => {
    const foreign = await request(`${gateway.baseUrl}/api/version`, { headers: { host: 'rebind.attacker.example' } });
    assert.equal(foreign.statusCode, 403);
    await foreign.body.dump();
    const local = await request(`${gateway.baseUrl}/api/version`, { headers: { host: 'localhost:11434' } });
    assert.equal(local.statusCode, 200);
    assert.deepEqual(await local.body.json(), { version: '0.12.6' });
  });

  it('parses a body sent without any Content-Type (Raycast)', async () => {
    const response = await request(`${gateway.baseUrl}/api/chat`, { method: 'POST', body: chatBody() });
    assert.equal(response.statusCode, 200);
    assert.equal(((await response.body.json()) as { message: { content: string } }).message.content, 'ok');
    const show = await request(`${gateway.baseUrl}/api/show`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"name":"m"}' });
    assert.equal(show.statusCode, 200);
    await show.body.dump();
  });

  it('accepts "Authorization: Bearer " with an empty token when no keys are configured (Copilot)', async () => {
    for (const authorization of ['Bearer ', 'Bearer']) {
      const tags = await fetch(`${gateway.baseUrl}/api/tags`, { headers: { authorization } });
      assert.equal(tags.status, 200);
      await tags.body?.cancel();
      const chat = await fetch(`${gateway.baseUrl}/api/chat`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: chatBody() });
      assert.equal(chat.status, 200);
      await chat.body?.cancel();
    }
  });

  it('answers client-key failures in Ollama shape when keys are configured', async () => {
    const guarded = await startTestGateway({ keys: [{ key: 'sk-secret' }] }, { adapters: [provider] });
    try {
      const missing = await fetch(`${guarded.baseUrl}/api/tags`);
      assert.equal(missing.status, 401);
      assert.match(((await missing.json()) as { error: string }).error, /missing API key/);
      const ok = await fetch(`${guarded.baseUrl}/api/tags`, { headers: { authorization: 'Bearer sk-secret' } });
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
    } finally {
      await guarded.close();
    }
  });
});
