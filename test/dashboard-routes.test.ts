import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { GatewayError } from '../src/canonical/gateway-error.ts';
import { ScriptedProvider } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const ADMIN = { authorization: 'Bearer admin-secret' };

/** Reads server-sent events from a response until `until` says stop. */
async function readEvents(response: Response, until: (events: { event: string; data: unknown }[]) => boolean): Promise<{ event: string; data: unknown }[]> {
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
    }
    if (until(events)) break;
  }
  return events;
}

describe('dashboard routes', () => {
  let gateway: TestGateway;
  const provider = new ScriptedProvider('fake', [{ id: 'small', contextLength: 4096 }]);
  let release: () => void = () => {};

  before(async () => {
    gateway = await startTestGateway({ admin_key: 'admin-secret', models: [{ name: 'house', targets: ['fake/small'] }, { name: 'claude-*', target: 'fake/claude-*' }] }, { adapters: [provider] });
  });
  after(() => gateway.close());

  it('serves the page from the package with a policy that allows no other site', async () => {
    const page = await fetch(`${gateway.baseUrl}/ui/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'.*connect-src 'self'/);
    assert.match(await page.text(), /<script type="module" src="\/ui\/app.js">/);
    const script = await fetch(`${gateway.baseUrl}/ui/pages/overview.js`);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal((await fetch(`${gateway.baseUrl}/ui/nothing-here.js`)).status, 404);
    // A path out of the folder is not a file it serves: the app's page answers instead.
    const escape = await fetch(`${gateway.baseUrl}/ui/..%2f..%2fpackage.json`);
    assert.doesNotMatch(await escape.text(), /"name": "llmux"/);
    assert.equal((await fetch(`${gateway.baseUrl}/ui`, { redirect: 'manual' })).headers.get('location'), '/ui/');
  });

  it('keeps its data behind the admin key', async () => {
    for (const path of ['/admin/models', '/admin/events', '/admin/usage/series', '/admin/requests/x']) {
      const refused = await fetch(`${gateway.baseUrl}${path}`);
      assert.equal(refused.status, 401, path);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /admin key/);
    }
  });

  it('lists routable names with their targets, the playground protocols, and provider failures', async () => {
    provider.script = new GatewayError('rate_limit', 'slow down', { upstreamStatus: 429 });
    const failed = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'house', messages: [{ role: 'user', content: 'Hi' }] }), headers: { 'content-type': 'application/json' } });
    assert.equal(failed.status, 429);
    await failed.text();
    const overview = (await (await fetch(`${gateway.baseUrl}/admin/models`, { headers: ADMIN })).json()) as {
      models: { name: string; kind: string; targets: { provider: string; model: string }[]; contextLength?: number }[];
      providers: { id: string; health: { failuresLastHour: number; recentFailures: { status: number; errorKind: string }[] } }[];
      protocols: Record<string, boolean>;
    };
    assert.deepEqual(
      overview.models.map((model) => [model.name, model.kind, model.targets.map((target) => `${target.provider}/${target.model}`).join(','), model.contextLength]),
      [
        ['house', 'alias', 'fake/small', 4096],
        ['small', 'listed', 'fake/small', 4096],
        ['claude-*', 'pattern', 'fake/claude-*', undefined],
      ],
    );
    assert.deepEqual(overview.protocols, { openai: true, responses: true, anthropic: true, ollama: true });
    const fake = overview.providers.find((one) => one.id === 'fake');
    assert.ok((fake?.health.failuresLastHour ?? 0) >= 1);
    assert.deepEqual([fake?.health.recentFailures[0]?.status, fake?.health.recentFailures[0]?.errorKind], [429, 'rate_limit']);
  });

  it('streams requests in flight and their outcome records, never the prompt', async () => {
    const held = new Promise<void>((resolve) => (release = resolve));
    provider.script = () =>
      (async function* (): AsyncIterable<ChatStreamEvent> {
        await held;
        yield { type: 'response-start', id: 'r' };
        yield { type: 'text-start', id: 't' };
        yield { type: 'text-delta', id: 't', text: 'ok' };
        yield { type: 'text-end', id: 't' };
        yield { type: 'finish', finishReason: 'stop', usage: { input: { total: 3 }, output: { total: 1 }, source: 'upstream' } };
      })();
    const controller = new AbortController();
    const events = await fetch(`${gateway.baseUrl}/admin/events`, { headers: ADMIN, signal: controller.signal });
    assert.match(events.headers.get('content-type') ?? '', /^text\/event-stream/);
    let chat: Promise<Response> | undefined;
    const seen = await readEvents(events, (so) => {
      if (so.length === 1) chat = fetch(`${gateway.baseUrl}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'house', messages: [{ role: 'user', content: 'my private prompt' }], stream: false }) });
      if (so.some((one) => one.event === 'start')) release();
      return so.some((one) => one.event === 'outcome');
    });
    controller.abort();
    const answer = await chat;
    assert.equal(answer?.status, 200);
    assert.deepEqual(seen.map((one) => one.event), ['snapshot', 'start', 'outcome']);
    const start = seen[1]?.data as { route: string; requestedModel: string; requestId: string };
    assert.deepEqual([start.route, start.requestedModel], ['/api/chat', 'house']);
    const outcome = seen[2]?.data as { requestId: string; protocol: string; status: number; usage: unknown };
    assert.deepEqual([outcome.requestId, outcome.protocol, outcome.status, outcome.usage], [start.requestId, 'ollama', 200, { input: { total: 3 }, output: { total: 1 }, source: 'upstream' }]);
    assert.doesNotMatch(JSON.stringify(seen), /private prompt/);
    const one = await fetch(`${gateway.baseUrl}/admin/requests/${start.requestId}`, { headers: ADMIN });
    assert.equal(((await one.json()) as { outcome: { requestId: string } }).outcome.requestId, start.requestId);
  });

  it('answers the series route with a clear 400 for a bad range, and 503 without usage records', async () => {
    const bad = await fetch(`${gateway.baseUrl}/admin/usage/series?range=week`, { headers: ADMIN });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^range: /);
    const none = await fetch(`${gateway.baseUrl}/admin/usage/series`, { headers: ADMIN });
    assert.equal(none.status, 503);
    await none.text();
  });
});
