import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const IDLE_MS = 200;

function sse(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function textChunk(text: string): string {
  return sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }] });
}

const GOOD_STREAM = [
  textChunk('fine'),
  sse({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }),
  'data: [DONE]\n\n',
];

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

/**
 * An Ollama client in front of an OpenAI-compatible upstream that misbehaves: the connection is
 * reset, the body is not SSE or JSON, or the upstream stops sending. The client must get a clear
 * Ollama error (an HTTP error before any output, a final `{"error"}` line after it) and llmux
 * must go on serving.
 */
describe('Ollama clients in front of a broken upstream', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;

  async function post(path: string, body: unknown): Promise<Answer> {
    const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
  }

  function chat(stream: boolean): Promise<Answer> {
    return post('/api/chat', { model: 'flaky', messages: [{ role: 'user', content: 'hi' }], stream });
  }

  /** The NDJSON lines of a streamed answer; every line a whole object, no blank lines. */
  function lines(text: string): Record<string, unknown>[] {
    assert.ok(text.endsWith('\n'), 'the stream ends with a newline');
    assert.equal(text.includes('\n\n'), false, 'no blank lines');
    return text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  function assertHttpError(answer: Answer, status: number, message: RegExp): void {
    assert.equal(answer.status, status, answer.text);
    assert.equal(answer.contentType, 'application/json; charset=utf-8');
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['error']);
    assert.match(String(body.error), message);
  }

  /** After a failure, the very next request is served normally. */
  async function assertStillServing(): Promise<void> {
    upstream.chunks('POST', '/v1/chat/completions', GOOD_STREAM);
    const answer = await chat(true);
    assert.equal(answer.status, 200);
    const all = lines(answer.text);
    assert.deepEqual(
      all.map((line) => (line.message as { content: string }).content),
      ['fine', ''],
    );
    assert.equal(all.at(-1)?.done, true);
  }

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    gateway = await startTestGateway({
      providers: [{ id: 'flaky', type: 'openai-compatible', base_url: `${upstream.baseUrl}/v1`, api_key: 'sk-test', timeout: { idle_ms: IDLE_MS }, models: ['m'] }],
      models: [{ name: 'flaky', target: 'flaky/m', capabilities: ['completion'] }],
    }, { retryPolicy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.reset();
    upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'm', object: 'model' }] });
  });

  it('connection reset mid-stream: the text so far, then a final error line under HTTP 200', async () => {
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(textChunk('partial'), () => response.socket?.destroy());
    });
    const answer = await chat(true);
    assert.equal(answer.status, 200);
    assert.equal(answer.contentType, 'application/x-ndjson');
    const all = lines(answer.text);
    assert.equal(all.length, 2, answer.text);
    assert.deepEqual(all[0]?.message, { role: 'assistant', content: 'partial' });
    assert.deepEqual(Object.keys(all[1] ?? {}), ['error']);
    assert.match(String(all[1]?.error), /^connection to 127\.0\.0\.1:\d+ failed/);
    await assertStillServing();
  });

  it('connection reset mid-stream: ollama-js throws the error line', async () => {
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(textChunk('partial'), () => response.socket?.destroy());
    });
    const ollama = new Ollama({ host: gateway.baseUrl });
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const part of await ollama.chat({ model: 'flaky', messages: [{ role: 'user', content: 'hi' }], stream: true })) seen.push(part.message.content);
    });
    assert.deepEqual(seen, ['partial']);
    await assertStillServing();
  });

  it('connection reset before any output: an HTTP 502 {"error"}, streaming or not', async () => {
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.socket?.destroy();
    });
    assertHttpError(await chat(true), 502, /^connection to 127\.0\.0\.1:\d+ failed/);
    assertHttpError(await chat(false), 502, /^connection to 127\.0\.0\.1:\d+ failed/);
    await assertStillServing();
  });

  it('connection reset after a chunk with no text in it: still an HTTP 502, as nothing reached the client', async () => {
    // OpenAI-compatible servers open with a role-only delta; Ollama answers with an HTTP error
    // status as long as it has written nothing (server/routes.go streamResponse).
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(textChunk(''), () => response.socket?.destroy());
    });
    assertHttpError(await chat(true), 502, /^connection to 127\.0\.0\.1:\d+ failed/);
    await assertStillServing();
  });

  it('a body that is neither SSE nor JSON: an HTTP 502 {"error"} before any output', async () => {
    upstream.chunks('POST', '/v1/chat/completions', ['<html><body>502 Bad Gateway</body></html>\n'], { contentType: 'text/html' });
    assertHttpError(await chat(true), 502, /ended before the response was complete/);
    assertHttpError(await chat(false), 502, /not JSON: <html>/);
    upstream.chunks('POST', '/v1/chat/completions', ['data: {not json at all\n\n']);
    assertHttpError(await chat(true), 502, /not JSON/);
    await assertStillServing();
  });

  it('garbage after some output: a final error line naming it', async () => {
    upstream.chunks('POST', '/v1/chat/completions', [textChunk('partial'), 'data: <<garbage>>\n\n']);
    const answer = await chat(true);
    assert.equal(answer.status, 200);
    const all = lines(answer.text);
    assert.deepEqual(all[0]?.message, { role: 'assistant', content: 'partial' });
    assert.match(String(all[1]?.error), /not JSON/);
    assert.equal(all.length, 2);
    const generated = await post('/api/generate', { model: 'flaky', prompt: 'hi' });
    assert.equal(generated.status, 200);
    const generatedLines = lines(generated.text);
    assert.equal(generatedLines[0]?.response, 'partial');
    assert.match(String(generatedLines[1]?.error), /not JSON/);
    assert.equal(generatedLines.length, 2);
    await assertStillServing();
  });

  it('an upstream that goes silent before any output: an HTTP 504 {"error"} naming the idle timeout', async () => {
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
    });
    assertHttpError(await chat(true), 504, /idle timeout/);
    assertHttpError(await chat(false), 504, /idle timeout/);
    await assertStillServing();
  });

  it('an upstream that goes silent mid-stream: a final error line naming the idle timeout', async () => {
    upstream.on('POST', '/v1/chat/completions', (_call, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(textChunk('partial'));
    });
    const answer = await chat(true);
    assert.equal(answer.status, 200);
    const all = lines(answer.text);
    assert.equal(all.length, 2, answer.text);
    assert.deepEqual(all[0]?.message, { role: 'assistant', content: 'partial' });
    assert.match(String(all[1]?.error), /idle timeout/);
    await assertStillServing();
  });
});
