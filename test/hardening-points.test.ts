import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';

const CLIENT_KEY = 'llmux-client-secret-0123456789';

describe('hardening: what a client sends cannot stall, crash or trick llmux', () => {
  let poe: FakePoeServer;
  let gateway: TestGateway;
  let scripted: ScriptedProvider;
  const logLines: string[] = [];

  before(async () => {
    poe = await FakePoeServer.start();
    poe.models = [];
    scripted = new ScriptedProvider('scripted', [{ id: 'm' }]);
    scripted.script = textScript('ok');
    gateway = await startTestGateway(
      {
        providers: [{ id: 'poebot', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl }],
        keys: [{ key: CLIENT_KEY, name: 'tester' }],
        client_timeout: { headers_ms: 300, request_ms: 400 },
      },
      { adapters: [scripted], logLines },
    );
  });
  after(async () => {
    await gateway.close();
    await poe.close();
  });

  const auth = { authorization: `Bearer ${CLIENT_KEY}` };
  const post = (path: string, body: unknown, headers: Record<string, string> = auth): Promise<Response> =>
    fetch(gateway.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('1. counts the usage of a Poe bot answer to a 1 MB run of letters (linear tokenizer), on both APIs', async () => {
    poe.bot('Counter', [{ event: 'text', data: { text: 'done' } }]);
    const prompt = 'GATTACA'.repeat(150_000);
    const openai = await post('/v1/chat/completions', { model: 'poebot/Counter', messages: [{ role: 'user', content: prompt }] });
    assert.equal(openai.status, 200);
    const usage = ((await openai.json()) as { usage: { prompt_tokens: number } }).usage;
    assert.ok(usage.prompt_tokens > prompt.length / 20, `counted ${usage.prompt_tokens}`);
    const generate = await post('/api/generate', { model: 'poebot/Counter', prompt, stream: false });
    assert.equal(generate.status, 200);
    const body = (await generate.json()) as { prompt_eval_count: number; context: number[] };
    assert.ok(body.prompt_eval_count > 0 && body.context.length > 0);
  });

  for (const name of ['日本語', 'Bot\r\nX-Evil: 1', 'Ünïcödé']) {
    it(`2. routes a model name that cannot be a header value (${JSON.stringify(name)}), streamed and not, with a safe x-llmux-model`, async () => {
      poe.bot(name, [{ event: 'text', data: { text: 'routed' } }]);
      const expected = encodeURIComponent(`${name}`);
      for (const stream of [false, true]) {
        const answer = await post('/v1/chat/completions', { model: `poebot/${name}`, stream, messages: [{ role: 'user', content: 'hi' }] });
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('x-llmux-model'), expected);
        assert.equal(answer.headers.get('x-evil'), null);
        assert.match(answer.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
        assert.match(await answer.text(), /routed/);
        const ollama = await post('/api/chat', { model: `poebot/${name}`, stream, messages: [{ role: 'user', content: 'hi' }] });
        assert.equal(ollama.status, 200);
        assert.equal(ollama.headers.get('x-llmux-model'), expected);
        assert.match(await ollama.text(), /routed/);
      }
    });
  }

  it('2. an upstream error for such a name is answered in the protocol shape with x-request-id', async () => {
    const answer = await post('/v1/chat/completions', { model: 'poebot/Nobody\r\nHere', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(answer.status >= 400 && answer.status < 500, String(answer.status));
    assert.ok(answer.headers.get('x-request-id'));
    const body = (await answer.json()) as { error: { message: string } };
    assert.equal(typeof body.error.message, 'string');
  });

  // 3. JSON nesting: test/json-nesting-limit.test.ts (511/512/513/10,000/10,001 levels on six routes).

  it('4. refuses a public IP literal as Host, saying why, in the protocol shape; a private one passes', async () => {
    const refusal = await rawRequest(gateway.baseUrl, 'GET /v1/models HTTP/1.1\r\nHost: 93.184.216.34\r\nConnection: close\r\n\r\n');
    assert.match(refusal, /^HTTP\/1\.1 403/);
    assert.match(refusal, /"message":"Host '93\.184\.216\.34' is not this machine/);
    assert.match(refusal, /x-request-id: /i);
    const ollama = await rawRequest(gateway.baseUrl, 'GET /api/tags HTTP/1.1\r\nHost: 93.184.216.34:11434\r\nConnection: close\r\n\r\n');
    assert.match(ollama, /\{"error":"Host '93\.184\.216\.34:11434' is not this machine/);
    const lan = await rawRequest(gateway.baseUrl, 'GET /api/version HTTP/1.1\r\nHost: 192.168.1.20:11434\r\nConnection: close\r\n\r\n');
    assert.match(lan, /^HTTP\/1\.1 200/);
    assert.ok(logLines.some((line) => line.includes("refused: Host '93.184.216.34'")));
  });

  it('4. a refused browser origin gets a body saying why, and a log line', async () => {
    const answer = await fetch(`${gateway.baseUrl}/api/tags`, { headers: { origin: 'https://evil.example', ...auth } });
    assert.equal(answer.status, 403);
    assert.deepEqual(await answer.json(), { error: "browser origin 'https://evil.example' is not allowed: add it to cors.origins in the config or to OLLAMA_ORIGINS" });
    assert.ok(logLines.some((line) => line.includes("refused: browser origin 'https://evil.example'")));
  });

  it('5. a key never reaches the log: in the query string, in a header, in the body; echoed text is cut', async () => {
    await fetch(`${gateway.baseUrl}/v1/models?api_key=${CLIENT_KEY}&other=${CLIENT_KEY}`);
    await fetch(`${gateway.baseUrl}/v1/models?${CLIENT_KEY}`, { headers: { 'x-custom': CLIENT_KEY, ...auth } });
    await post('/v1/chat/completions', { model: CLIENT_KEY, messages: [{ role: 'user', content: CLIENT_KEY }] });
    const huge = 'x'.repeat(1_000_000);
    const answer = await post('/api/chat', { model: huge, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(answer.status, 404);
    assert.ok((await answer.text()).length < 3_000);
    const think = await post('/api/chat', { model: 'scripted/m', think: huge, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(think.status, 400);
    assert.ok((await think.text()).length < 3_000);
    // A name any bot could have routes to the upstream: the request log line quotes it cut.
    const routed = await post('/v1/chat/completions', { model: `poebot/${'z'.repeat(100_000)}`, messages: [{ role: 'user', content: 'hi' }] });
    assert.ok((await routed.text()).length < 3_000);
    assert.ok((routed.headers.get('x-llmux-model') ?? '').length <= 256);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(logLines.length > 0);
    for (const line of logLines) {
      assert.ok(!line.includes(CLIENT_KEY), `key in the log: ${line.slice(0, 300)}`);
      assert.ok(line.length < 5_000, `a log line of ${line.length} characters: ${line.slice(0, 400)}`);
    }
    assert.ok(logLines.some((line) => line.includes('api_key=[redacted]')));
  });

  it('6. a client that stalls in its headers is cut off after headers_ms; a stream that outlasts request_ms still flows', async () => {
    const closed = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(gateway.baseUrl).port), '127.0.0.1');
      let received = '';
      socket.on('data', (data) => (received += data.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nX-Partial: ');
    });
    assert.match(closed, /^HTTP\/1\.1 408/);
    scripted.script = async function* (): AsyncIterable<ChatStreamEvent> {
      yield { type: 'response-start', id: 'r', model: 'm' };
      yield { type: 'text-start', id: 't' };
      for (let index = 0; index < 5; index++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        yield { type: 'text-delta', id: 't', text: `part${index} ` };
      }
      yield { type: 'text-end', id: 't' };
      yield { type: 'finish', finishReason: 'stop', usage: { input: { total: 1 }, output: { total: 5 }, source: 'upstream' } };
    };
    const answer = await post('/v1/chat/completions', { model: 'scripted/m', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const text = await answer.text();
    assert.match(text, /part4/);
    assert.match(text, /data: \[DONE\]/);
    scripted.script = textScript('ok');
  });

  it('8. with keys configured, /, /health and /api/version stay public; model routes need the key', async () => {
    for (const path of ['/', '/health', '/api/version']) assert.equal((await fetch(gateway.baseUrl + path)).status, 200, path);
    assert.equal((await fetch(gateway.baseUrl + '/api/version', { method: 'HEAD' })).status, 200);
    assert.equal((await fetch(gateway.baseUrl + '/api/tags')).status, 401);
    assert.equal((await fetch(gateway.baseUrl + '/v1/models')).status, 401);
  });
});

/** One request written by hand (a Host header fetch will not send), the whole answer as text. */
function rawRequest(baseUrl: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
    let received = '';
    socket.on('data', (data) => (received += data.toString()));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(request);
  });
}
