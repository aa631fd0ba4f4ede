import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { createLogger } from '../../observability/create-logger.ts';
import { createProvider } from '../../server/build-gateway.ts';
import { FakePoeServer } from '../../../test-support/fake-poe-server.ts';
import type { CallContext, ProviderAdapter } from '../provider-adapter.ts';
import { responseText } from '../../canonical/chat-response.ts';

const log = createLogger('silent');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function context(): CallContext {
  return { signal: new AbortController().signal, requestId: 'test', log };
}

function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'TestBot', stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text }] }], ...extra };
}

describe('Poe bot protocol provider against a fake Poe', () => {
  let poe: FakePoeServer;
  let provider: ProviderAdapter;
  before(async () => {
    poe = await FakePoeServer.start();
    provider = await createProvider({ id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl }, log);
  });
  after(async () => {
    await provider.close();
    await poe.close();
  });
  beforeEach(() => poe.reset());

  it('posts the query to <base>/<BOT_NAME> with the bearer key and streams the answer', async () => {
    poe.bot('TestBot', [{ event: 'text', data: { text: 'Hello' } }, { comment: 'ping - 2025-06-01 10:00:00.000000+00:00' }, { event: 'text', data: { text: ' there' } }]);
    const events = await Array.fromAsync(await provider.streamChat(ask('Hi', { temperature: 0.2 }), context()));
    assert.deepEqual(events.map((event) => event.type), ['response-start', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish']);
    const finish = events.at(-1);
    assert.equal(finish?.type === 'finish' && finish.usage, undefined, 'the bot protocol reports no usage; routing counts it');
    const call = poe.lastBotCall();
    assert.equal(call.bot, 'TestBot');
    assert.equal(call.headers.authorization, 'Bearer poe-test-key');
    assert.equal(call.headers.accept, 'text/event-stream');
    assert.deepEqual(
      { version: call.body['version'], type: call.body['type'], temperature: call.body['temperature'], query: call.body['query'] },
      { version: '1.2', type: 'query', temperature: 0.2, query: [{ role: 'user', content: 'Hi', content_type: 'text/markdown', attachments: [] }] },
    );
  });

  it('reuses the keep-alive connection after done, and closes it when the consumer stops early', async () => {
    poe.bot('TestBot', [{ event: 'text', data: { text: 'one' } }]);
    const before = poe.connections;
    for (const text of ['a', 'b', 'c']) await Array.fromAsync(await provider.streamChat(ask(text), context()));
    assert.ok(poe.connections - before <= 1, `${poe.connections - before} new connections for 3 calls in a row`);
    poe.bot('SlowBot', { events: [{ event: 'text', data: { text: 'first words' } }], holdOpen: true });
    const events = await provider.streamChat(ask('c', { model: 'SlowBot' }), context());
    for await (const event of events) if (event.type === 'text-delta') break;
    assert.equal(await poe.lastBotCall().closedEarly, true, 'the bot call is closed as soon as nobody reads it');
  });

  it('aborts the bot call when the client goes away', async () => {
    poe.bot('SlowBot', { events: [{ event: 'text', data: { text: 'first words' } }], holdOpen: true });
    const controller = new AbortController();
    const events = await provider.streamChat(ask('c', { model: 'SlowBot' }), { ...context(), signal: controller.signal });
    const iterator = events[Symbol.asyncIterator]();
    while ((await iterator.next()).value?.type !== 'text-delta');
    controller.abort();
    assert.equal(await poe.lastBotCall().closedEarly, true);
    const rest: ChatStreamEvent[] = [];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) rest.push(next.value);
    const last = rest.at(-1);
    assert.equal(last?.type === 'error' && last.error.kind, 'canceled');
  });

  it('reads streams split into 3-byte pieces and \\n-separated events', async () => {
    poe.bot('TestBot', { events: [{ event: 'text', data: { text: 'Ünïcödé ✓ 🎉' } }], chunkBytes: 3, separator: '\n' });
    const response = await provider.completeChat(ask('x', { stream: false }), context());
    assert.equal(responseText(response), 'Ünïcödé ✓ 🎉');
  });

  it('a non-streamed answer is the final text after replace_response', async () => {
    poe.bot('TestBot', [
      { event: 'text', data: { text: 'first draft' } },
      { event: 'replace_response', data: { text: 'The final text' } },
    ]);
    const response = await provider.completeChat(ask('x', { stream: false }), context());
    assert.equal(responseText(response), 'The final text');
  });

  it('maps HTTP errors of the bot endpoint: unknown bot → 404, bad key → 401, no points → 402', async () => {
    await assert.rejects(provider.streamChat(ask('x', { model: 'NoSuchBot' }), context()), (error: GatewayError) => {
      assert.equal(error.status, 404);
      assert.match(error.message, /Poe has no bot 'NoSuchBot'/);
      assert.equal(error.retryable, false);
      return true;
    });
    poe.keys.delete('poe-test-key');
    poe.bot('TestBot', [{ event: 'text', data: { text: 'x' } }]);
    await assert.rejects(provider.streamChat(ask('x'), context()), (error: GatewayError) => error.status === 401 && /api_key/.test(error.message) && !error.retryable);
    poe.keys.add('poe-test-key');
    poe.bot('TestBot', { events: [], httpError: { status: 402, body: { error: { code: 402, type: 'insufficient_credits', message: "You've used up your points!" } } } });
    await assert.rejects(provider.streamChat(ask('x'), context()), (error: GatewayError) => error.status === 402 && /points/.test(error.message));
  });

  it('uploads images as multipart files with the bare key and attaches them to the user message', async () => {
    poe.bot('TestBot', [{ event: 'text', data: { text: 'A cat.' } }]);
    const request = ask('What is it?');
    request.messages[0]?.parts.push({ type: 'image', source: { kind: 'url', url: `data:image/png;base64,${PNG.toString('base64')}` } });
    request.messages[0]?.parts.push({ type: 'image', source: { kind: 'url', url: 'https://example.com/photos/dog.jpg' } });
    await Array.fromAsync(await provider.streamChat(request, context()));
    assert.equal(poe.uploads.length, 2);
    const [file, link] = poe.uploads;
    assert.equal(file?.authorization, 'poe-test-key', 'the upload endpoint takes the key without "Bearer"');
    assert.equal(file?.filename, 'image.png');
    assert.equal(file?.contentType, 'image/png');
    assert.deepEqual(file?.bytes, PNG);
    assert.equal(link?.downloadUrl, 'https://example.com/photos/dog.jpg');
    assert.equal(link?.downloadFilename, 'dog.jpg');
    const attachments = (poe.lastBotCall().body['query'] as { attachments: { url: string; content_type: string; name: string }[] }[])[0]?.attachments;
    assert.equal(attachments?.length, 2);
    assert.match(attachments?.[0]?.url ?? '', /^https:\/\/pfst\.cf2\.poecdn\.net\/base\/files\/\d+\/image\.png$/);
    assert.deepEqual({ type: attachments?.[0]?.content_type, name: attachments?.[0]?.name }, { type: 'image/png', name: 'image.png' });
    // The same image again is not uploaded twice.
    await Array.fromAsync(await provider.streamChat(request, context()));
    assert.equal(poe.uploads.length, 2);
  });

  it('a failed upload is a clear, non-retryable error with the upload status', async () => {
    poe.bot('TestBot', [{ event: 'text', data: { text: 'x' } }]);
    poe.uploadFailure = { status: 400, body: { error: 'unsupported file type' } };
    const request = ask('look');
    request.messages[0]?.parts.push({ type: 'image', source: { kind: 'base64', mediaType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' } });
    await assert.rejects(provider.streamChat(request, context()), (error: GatewayError) => {
      assert.equal(error.status, 400);
      assert.equal(error.retryable, false);
      assert.match(error.message, /could not upload 'image\.gif' to Poe.*unsupported file type/);
      return true;
    });
    assert.equal(poe.botCalls.length, 0, 'the bot is not called without its attachment');
  });

  it('lists the bots of /v1/models on the same origin, without a key', async () => {
    const models = await provider.listModels(context());
    assert.deepEqual(models.map((model) => [model.id, model.created, model.capabilities]), [
      ['GPT-4o', 1715644800, ['completion', 'tools', 'vision']],
      ['Llama-3-70b', 1713398400, ['completion', 'tools']],
      ['GPT-Image-1', 1745884800, ['vision', 'image']],
    ]);
    assert.equal(poe.requests.at(-1)?.headers.authorization, undefined);
  });

  it('generates images: file events, n calls, size → aspect, b64_json downloaded', async () => {
    const url = poe.addFile('cat.png', PNG, 'image/png');
    poe.bot('ImageBot', () => [
      { event: 'replace_response', data: { text: 'Generating image (1s elapsed)' } },
      { event: 'file', data: { url, content_type: 'image/png', name: 'cat.png', inline_ref: 'k3y' } },
      { event: 'replace_response', data: { text: '![cat.png][k3y]' } },
    ]);
    const generate = provider.generateImages?.bind(provider);
    assert.ok(generate);
    const byUrl = await generate({ model: 'ImageBot', prompt: 'a cat', n: 2, size: '1792x1024', responseFormat: 'url' }, context());
    assert.deepEqual(byUrl.images, [{ url, mediaType: 'image/png' }, { url, mediaType: 'image/png' }]);
    assert.deepEqual(poe.botCalls.map((call) => call.body['type']), ['settings', 'query', 'query']);
    const query = poe.lastBotCall().body['query'] as { content: string; parameters?: Record<string, unknown> }[];
    assert.equal(query[0]?.content, 'a cat --aspect 16:9');
    assert.deepEqual(query[0]?.parameters, { aspect: '16:9' });
    const inline = await generate({ model: 'ImageBot', prompt: 'a cat', n: 1, responseFormat: 'b64_json' }, context());
    assert.deepEqual(inline.images, [{ b64Json: PNG.toString('base64'), mediaType: 'image/png' }]);
    assert.equal((poe.lastBotCall().body['query'] as { content: string }[])[0]?.content, 'a cat');
  });

  it('generates images from markdown when a bot sends no file event, and fails clearly without any', async () => {
    poe.bot('OldBot', [{ event: 'text', data: { text: 'Here you go: ![image](https://pfst.cf2.poecdn.net/base/image/xyz?w=1024)' } }]);
    const generate = provider.generateImages?.bind(provider);
    assert.ok(generate);
    const result = await generate({ model: 'OldBot', prompt: 'x', n: 1, responseFormat: 'url' }, context());
    assert.deepEqual(result.images, [{ url: 'https://pfst.cf2.poecdn.net/base/image/xyz?w=1024' }]);
    poe.bot('ShyBot', [{ event: 'text', data: { text: 'I cannot draw that.' } }]);
    await assert.rejects(generate({ model: 'ShyBot', prompt: 'x', n: 1, responseFormat: 'url' }, context()), /answered without an image: "I cannot draw that\."/);
  });
});

describe('Poe bot protocol with several keys', () => {
  it('balances keys round-robin and moves on from a key Poe refuses', async () => {
    const poe = await FakePoeServer.start();
    const provider = await createProvider({ id: 'poe', type: 'poe', protocol: 'bot', api_keys: ['poe-test-key', 'key-two', 'revoked'], base_url: poe.botBaseUrl }, log);
    try {
      poe.keys.add('key-two');
      poe.bot('TestBot', [{ event: 'text', data: { text: 'ok' } }]);
      for (let i = 0; i < 2; i++) await Array.fromAsync(await provider.streamChat(ask('x'), context()));
      assert.deepEqual(poe.botCalls.map((call) => call.headers.authorization), ['Bearer poe-test-key', 'Bearer key-two']);
      await assert.rejects(provider.streamChat(ask('x'), context()), (error: GatewayError) => error.status === 401 && error.retryable);
      for (let i = 0; i < 2; i++) await Array.fromAsync(await provider.streamChat(ask('x'), context()));
      assert.deepEqual(poe.botCalls.slice(3).map((call) => call.headers.authorization), ['Bearer poe-test-key', 'Bearer key-two']);
    } finally {
      await provider.close();
      await poe.close();
    }
  });
});
