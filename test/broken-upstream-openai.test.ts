import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const MESSAGES: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hi' }];

/** A Cerebras-style chunk of the stream, as the fake would send it. */
function chunk(delta: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-broken', object: 'chat.completion.chunk', created: 1754550000, model: 'gpt-oss-120b', choices: [{ index: 0, delta }] })}\n\n`;
}

/**
 * openai SDK → llmux → the cerebras adapter → an upstream that misbehaves at the transport level:
 * resets, garbage with a 200, silence before the headers and in the middle of a stream. Each
 * failure reaches the client as an OpenAI error (HTTP status before the first byte, an error
 * data chunk after it), the upstream connection is closed, and the next request is served.
 */
describe('OpenAI clients facing a broken upstream', () => {
  let broken: FakeCerebrasUpstream;
  let silentStart: FakeCerebrasUpstream;
  let silentMiddle: FakeCerebrasUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  before(async () => {
    [broken, silentStart, silentMiddle] = await Promise.all([FakeCerebrasUpstream.start(), FakeCerebrasUpstream.start(), FakeCerebrasUpstream.start()]);
    gateway = await startTestGateway(
      {
        providers: [
          broken.providerConfig('broken'),
          silentStart.providerConfig('silent-start', { timeout: { first_byte_ms: 200 } }),
          silentMiddle.providerConfig('silent-middle', { timeout: { idle_ms: 200 } }),
        ],
      },
      // One try per request: retries are the dispatcher's own tests; here each would add a timeout.
      { retryPolicy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await Promise.all([broken.close(), silentStart.close(), silentMiddle.close()]);
  });
  beforeEach(() => {
    for (const upstream of [broken, silentStart, silentMiddle]) upstream.server.calls.length = 0;
  });

  async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
    const thrown = await promise.then(
      () => assert.fail('expected the request to fail'),
      (caught: unknown) => caught,
    );
    assert.ok(thrown instanceof OpenAI.APIError, String(thrown));
    return thrown;
  }

  /** An HTTP error in OpenAI's shape: `{"error":{message,type,param,code}}` with the given status and type. */
  function assertHttpError(error: InstanceType<typeof OpenAI.APIError>, status: number, type: string, message: RegExp): void {
    assert.equal(error.status, status, error.message);
    assert.equal(error.type, type);
    assert.match(error.message, message);
    assert.deepEqual(Object.keys(error.error as object).sort(), ['code', 'message', 'param', 'type']);
  }

  /** Reads a stream through the SDK until it throws; returns the content seen and the error. */
  async function streamUntilError(model: string, onContent: () => void = () => undefined): Promise<{ content: string; error: InstanceType<typeof OpenAI.APIError> }> {
    const stream = await client.chat.completions.create({ model, messages: MESSAGES, stream: true });
    let content = '';
    const error = await failure(
      (async () => {
        for await (const part of stream) {
          content += part.choices[0]?.delta.content ?? '';
          if (content.length > 0) onContent();
        }
      })(),
    );
    return { content, error };
  }

  async function assertServedNormally(upstream: FakeCerebrasUpstream, model: string): Promise<void> {
    upstream.answer({ text: 'Back to normal.' });
    const completion = await client.chat.completions.create({ model, messages: MESSAGES });
    assert.equal(completion.choices[0]?.message.content, 'Back to normal.');
    const stream = await client.chat.completions.create({ model, messages: MESSAGES, stream: true });
    let content = '';
    for await (const part of stream) content += part.choices[0]?.delta.content ?? '';
    assert.equal(content, 'Back to normal.');
  }

  it('answers a connection reset before the headers with a 502, streamed or not', async () => {
    broken.resetConnection();
    for (const stream of [false, true]) {
      const error = await failure(client.chat.completions.create({ model: 'broken/gpt-oss-120b', messages: MESSAGES, stream }));
      assert.ok(error instanceof OpenAI.InternalServerError);
      assertHttpError(error, 502, 'api_error', /^502 connection to 127\.0\.0\.1:\d+ failed: /);
    }
    assert.equal(broken.server.calls.length, 2);
    await assertServedNormally(broken, 'broken/gpt-oss-120b');
  });

  it('ends a stream reset midway with an error chunk the SDK throws, after the text so far', async () => {
    let release!: () => void;
    const reachedClient = new Promise<void>((resolve) => (release = resolve));
    broken.answer({ text: 'Partial answer here', resetAfter: reachedClient });
    const { content, error } = await streamUntilError('broken/gpt-oss-120b', release);
    assert.ok(content.length > 0 && 'Partial answer here'.startsWith(content), content);
    assert.equal(error.status, undefined, 'an in-band error, not an HTTP status');
    assert.equal(error.type, 'api_error');
    assert.match(error.message, /^connection to 127\.0\.0\.1:\d+ failed: /);
    await assertServedNormally(broken, 'broken/gpt-oss-120b');
  });

  it('answers a 200 whose body is not JSON, or not SSE, with a 502', async () => {
    const cases: [string, string, boolean, RegExp][] = [
      ['text/html', '<html><body>Bad gateway</body></html>', false, /^502 the upstream answered HTTP 200 with a body that is not JSON: <html>/],
      ['application/json', '{"choices": [', false, /^502 the upstream answered HTTP 200 with a body that is not JSON: \{"choices": \[/],
      ['application/json', '{"hello": "world"}', false, /^502 the upstream answered with a body that is not a chat completion$/],
      ['text/event-stream', 'this is not server-sent events\n\n', false, /^502 the upstream stream ended before the response was complete/],
      ['text/html', '<html><body>Bad gateway</body></html>', true, /^502 the upstream stream ended before the response was complete/],
      ['application/json', '{"choices": [', true, /^502 the upstream answered HTTP 200 with a body that is not JSON/],
      ['text/event-stream', 'this is not server-sent events\n\n', true, /^502 the upstream stream ended before the response was complete/],
    ];
    for (const [contentType, body, stream, message] of cases) {
      broken.garbage(contentType, body);
      const error = await failure(client.chat.completions.create({ model: 'broken/gpt-oss-120b', messages: MESSAGES, stream }));
      assertHttpError(error, 502, 'api_error', message);
    }
    await assertServedNormally(broken, 'broken/gpt-oss-120b');
  });

  it('ends a stream that turns to garbage midway with an error chunk and no [DONE]', async () => {
    broken.garbage('text/event-stream', chunk({ role: 'assistant' }) + chunk({ content: 'Hel' }) + 'data: <html>oops</html>\n\n' + chunk({ content: 'lo' }));
    const { content, error } = await streamUntilError('broken/gpt-oss-120b');
    assert.equal(content, 'Hel');
    assert.equal(error.message, 'the upstream sent a stream chunk that is not JSON: <html>oops</html>');

    const raw = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'broken/gpt-oss-120b', messages: MESSAGES, stream: true }),
    });
    assert.equal(raw.status, 200);
    const text = await raw.text();
    assert.ok(
      text.endsWith('"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}]}\n\n' +
        'data: {"error":{"message":"the upstream sent a stream chunk that is not JSON: <html>oops</html>","type":"api_error","param":null,"code":null}}\n\n'),
      text,
    );
    assert.ok(!text.includes('[DONE]'));
    await assertServedNormally(broken, 'broken/gpt-oss-120b');
  });

  it('answers an upstream silent before its headers with a 504 after first_byte_ms, and closes that request', async () => {
    silentStart.silence();
    const errors = await Promise.all(
      [false, true].map((stream) => failure(client.chat.completions.create({ model: 'silent-start/gpt-oss-120b', messages: MESSAGES, stream }))),
    );
    for (const error of errors) assertHttpError(error, 504, 'timeout', /^504 127\.0\.0\.1:\d+ sent no response within 200 ms \(first-byte timeout\)$/);
    assert.equal(silentStart.server.calls.length, 2);
    for (const call of silentStart.server.calls) assert.equal(await call.aborted, true);
    await assertServedNormally(silentStart, 'silent-start/gpt-oss-120b');
  });

  it('ends a stream whose upstream falls silent with a timeout error chunk after idle_ms, and closes that request', async () => {
    silentMiddle.answer({ text: 'Still thinking', holdOpen: true });
    const { content, error } = await streamUntilError('silent-middle/gpt-oss-120b');
    assert.equal(content, 'Still thinking');
    assert.equal(error.status, undefined, 'an in-band error, not an HTTP status');
    assert.equal(error.type, 'timeout');
    assert.match(error.message, /^127\.0\.0\.1:\d+ sent nothing for 200 ms in the middle of the response \(idle timeout\)$/);
    const call = silentMiddle.server.lastCall('/v1/chat/completions');
    assert.equal(await call?.aborted, true);
    await assertServedNormally(silentMiddle, 'silent-middle/gpt-oss-120b');
  });

  it('answers a non-streamed body that stops midway with a 504 after idle_ms', async () => {
    silentMiddle.silence({ contentType: 'application/json', body: '{"id":"chatcmpl-1","choices":[' });
    const error = await failure(client.chat.completions.create({ model: 'silent-middle/gpt-oss-120b', messages: MESSAGES }));
    assertHttpError(error, 504, 'timeout', /\(idle timeout\)$/);
    const call = silentMiddle.server.lastCall('/v1/chat/completions');
    assert.ok(call !== undefined, 'the upstream was called');
    assert.equal(await call.aborted, true);
    await assertServedNormally(silentMiddle, 'silent-middle/gpt-oss-120b');
  });
});
