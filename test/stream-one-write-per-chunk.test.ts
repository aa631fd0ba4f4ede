import assert from 'node:assert/strict';
import { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const head = '{"id":"chatcmpl-w","object":"chat.completion.chunk","created":1745000000,"model":"qwen3-32b"';
const event = (delta: string, finish = 'null'): string => `data: ${head},"choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`;

/** The first network chunk: the role, two tokens, and half of a third token's event, cut inside "☃". */
const THIRD = event('{"content":" ☃"}');
const CUT = Buffer.byteLength(THIRD.slice(0, THIRD.indexOf('☃'))) + 1;
const FIRST = Buffer.concat([Buffer.from(event('{"role":"assistant","content":""}') + event('{"content":"Hel"}') + event('{"content":"lo"}')), Buffer.from(THIRD).subarray(0, CUT)]);
const SECOND = Buffer.concat([Buffer.from(THIRD).subarray(CUT), Buffer.from(event('{}', '"stop"') + `data: ${head},"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}}\n\ndata: [DONE]\n\n`)]);

/**
 * What one upstream network chunk completes leaves llmux as one write, as soon as it is decoded:
 * the writes on llmux's own response are counted, the last text that ends it (`end` with a chunk)
 * among them (the fake upstream sends its second chunk only once llmux has written the first).
 */
describe('streamed answers: one client write per upstream network chunk', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;
  const writes: string[] = [];
  let firstWritten: () => void = () => undefined;
  const originalWrite = ServerResponse.prototype.write;
  const originalEnd = ServerResponse.prototype.end;

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    upstream.on('POST', '/up/v1/chat/completions', async (_call, response) => {
      const written = new Promise<void>((resolve) => (firstWritten = resolve));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(FIRST);
      await written;
      response.end(SECOND);
    });
    gateway = await startTestGateway({ providers: [{ id: 'local', type: 'openai-compatible', base_url: `${upstream.baseUrl}/up/v1`, api_key: 'sk-local' }] });
    const port = Number(new URL(gateway.baseUrl).port);
    // Only this file's gateway: other test files may run in the same process.
    const counted = (response: ServerResponse): boolean =>
      response.req.socket?.localPort === port && ['/v1/chat/completions', '/api/chat', '/v1/messages', '/v1/responses'].includes(response.req.url ?? '');
    ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      if (counted(this)) {
        writes.push(String(chunk));
        firstWritten();
      }
      return (originalWrite as (this: ServerResponse, ...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof ServerResponse.prototype.write;
    ServerResponse.prototype.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (counted(this) && typeof chunk === 'string' && chunk.length > 0) writes.push(chunk);
      return (originalEnd as (this: ServerResponse, ...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof ServerResponse.prototype.end;
  });
  after(async () => {
    ServerResponse.prototype.write = originalWrite;
    ServerResponse.prototype.end = originalEnd;
    await gateway.close();
    await upstream.close();
  });

  it('/v1/chat/completions: two upstream chunks, two writes, the character joined across them', async () => {
    writes.length = 0;
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'local/qwen3-32b', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    const body = await response.text();
    assert.equal(writes.length, 2, JSON.stringify(writes));
    assert.equal(writes.join(''), body);
    assert.deepEqual(
      writes.map((write) => write.split('\n\n').filter((line) => line.length > 0).length),
      [3, 3],
      'role, Hel, lo | " ☃", finish, [DONE]',
    );
    assert.match(writes[1] ?? '', /^data: .*"content":" ☃"/);
  });

  it('/api/chat: the same in NDJSON', async () => {
    writes.length = 0;
    const response = await fetch(`${gateway.baseUrl}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'local/qwen3-32b', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const body = await response.text();
    assert.equal(writes.length, 2, JSON.stringify(writes));
    assert.equal(writes.join(''), body);
    assert.deepEqual(
      writes.map((write) => write.split('\n').filter((line) => line.length > 0).length),
      [2, 2],
      'Hel, lo | " ☃", done',
    );
  });

  for (const [path, request] of [
    ['/v1/messages', { model: 'local/qwen3-32b', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }], stream: true }],
    ['/v1/responses', { model: 'local/qwen3-32b', input: 'Hi', stream: true, store: false }],
  ] as const) {
    it(`${path}: two upstream chunks, two writes`, async () => {
      writes.length = 0;
      const response = await fetch(gateway.baseUrl + path, { method: 'POST', body: JSON.stringify(request) });
      const body = await response.text();
      assert.equal(writes.length, 2, JSON.stringify(writes));
      assert.equal(writes.join(''), body);
      assert.ok((writes[1] ?? '').includes('☃'), 'the character cut between the chunks leaves whole with the second');
    });
  }
});
