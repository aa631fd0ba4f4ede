import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import type { CallContext } from '../src/providers/provider-adapter.ts';
import { ScriptedProvider } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

describe('Ollama routes: HEAD, configured version, default model, client disconnect', () => {
  let gateway: TestGateway;
  let provider: ScriptedProvider;

  before(async () => {
    provider = new ScriptedProvider('scripted', [{ id: 'llama3.1-8b' }]);
    gateway = await startTestGateway({ ollama_version: '0.13.1', default_model: 'llama3.1-8b' }, { adapters: [provider] });
  });
  after(() => gateway.close());

  it('answers HEAD on /api/tags and /api/version with 200 and no body', async () => {
    for (const path of ['/api/tags', '/api/version']) {
      const response = await fetch(gateway.baseUrl + path, { method: 'HEAD' });
      assert.equal(response.status, 200, path);
      assert.equal(await response.text(), '');
    }
  });

  it('lists no models as [] (never null) when nothing is configured or loaded', async () => {
    const empty = await startTestGateway({});
    try {
      assert.deepEqual(await (await fetch(`${empty.baseUrl}/api/tags`)).json(), { models: [] });
      assert.deepEqual(await (await fetch(`${empty.baseUrl}/api/ps`)).json(), { models: [] });
    } finally {
      await empty.close();
    }
  });

  it("echoes the requested name as general.basename to VS Code Copilot, as Ollama does", async () => {
    const show = async (userAgent: string): Promise<unknown> => {
      const response = await fetch(`${gateway.baseUrl}/api/show`, { method: 'POST', headers: { 'user-agent': userAgent }, body: JSON.stringify({ model: 'LLAMA3.1-8b:latest' }) });
      return ((await response.json()) as { model_info: Record<string, unknown> }).model_info['general.basename'];
    };
    assert.equal(await show('GitHubCopilotChat/0.30.0'), 'LLAMA3.1-8b:latest');
    assert.equal(await show('ollama-js/0.6.4'), 'llama3.1-8b');
  });

  it('reports the configured ollama_version', async () => {
    assert.deepEqual(await (await fetch(`${gateway.baseUrl}/api/version`)).json(), { version: '0.13.1' });
  });

  it('routes an unknown name to default_model for chat and show, but lists only served models', async () => {
    provider.script = [
      { type: 'text-delta', id: 't', text: 'hi' },
      { type: 'finish', finishReason: 'stop' },
    ];
    const chat = await fetch(`${gateway.baseUrl}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'llama3', messages: [{ role: 'user', content: 'x' }], stream: false }) });
    assert.equal(chat.status, 200);
    assert.equal(((await chat.json()) as { model: string }).model, 'llama3', 'the name the client sent is echoed');
    assert.equal(provider.requests.at(-1)?.model, 'llama3.1-8b');
    const show = await fetch(`${gateway.baseUrl}/api/show`, { method: 'POST', body: JSON.stringify({ model: 'llama3' }) });
    assert.equal(show.status, 200);
    await show.body?.cancel();
    const tags = (await (await fetch(`${gateway.baseUrl}/api/tags`)).json()) as { models: { name: string }[] };
    assert.deepEqual(
      tags.models.map((model) => model.name),
      ['llama3.1-8b:latest'],
    );
  });

  it('aborts the upstream call when the client goes away mid-stream', async () => {
    let started: () => void = () => undefined;
    const streaming = new Promise<void>((resolve) => {
      started = resolve;
    });
    provider.script = (_request, context: CallContext) =>
      (async function* (): AsyncGenerator<ChatStreamEvent> {
        yield { type: 'text-delta', id: 't', text: 'first' };
        started();
        if (!context.signal.aborted) await once(context.signal, 'abort');
        yield { type: 'finish', finishReason: 'stop' };
      })();
    const response = await request(`${gateway.baseUrl}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.1-8b', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(response.statusCode, 200);
    await streaming;
    response.body.destroy();
    const signal = provider.lastSignal;
    assert.ok(signal !== undefined);
    if (!signal.aborted) await once(signal, 'abort');
    assert.equal(signal.aborted, true);
  });

  it('aborts the upstream call when the client goes away before any output', async () => {
    let started: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => {
      started = resolve;
    });
    provider.script = (_request, context: CallContext) =>
      (async function* (): AsyncGenerator<ChatStreamEvent> {
        yield { type: 'response-start' };
        started();
        if (!context.signal.aborted) await once(context.signal, 'abort');
        yield { type: 'finish', finishReason: 'stop' };
      })();
    const controller = new AbortController();
    const answered = fetch(`${gateway.baseUrl}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.1-8b', messages: [{ role: 'user', content: 'x' }] }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await waiting;
    controller.abort();
    assert.ok((await answered) instanceof Error, 'no headers were sent before the first output');
    const signal = provider.lastSignal;
    assert.ok(signal !== undefined);
    if (!signal.aborted) await once(signal, 'abort');
    assert.equal(signal.aborted, true);
  });
});
