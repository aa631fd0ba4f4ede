import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ANTHROPIC_INBOUND_PROTOCOL, createAnthropicInboundProtocol } from '../src/inbound/anthropic/anthropic-inbound-protocol.ts';
import { ANTHROPIC_PING } from '../src/inbound/anthropic/anthropic-stream-encoder.ts';
import { INBOUND_PROTOCOLS } from '../src/inbound/inbound-protocols.ts';
import { FakeAnthropicServer } from '../test-support/fake-anthropic-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// While the upstream is silent — before its first output too — an Anthropic client gets `ping`
// events, so that it and any proxy between keep the stream open. The interval is shortened here;
// the test waits for pings to arrive, never for a time.

let anthropic: FakeAnthropicServer;
let gateway: TestGateway;

before(async () => {
  anthropic = await FakeAnthropicServer.start();
  anthropic.models(['claude-sonnet-4-6']);
  const protocols = INBOUND_PROTOCOLS.map((protocol) => (protocol === ANTHROPIC_INBOUND_PROTOCOL ? createAnthropicInboundProtocol({ pingIntervalMs: 5 }) : protocol));
  gateway = await startTestGateway({ providers: [anthropic.providerConfig()] }, { protocols });
});
after(async () => {
  await gateway.close();
  await anthropic.close();
});

async function readUntil(body: ReadableStream<Uint8Array>, done: (text: string) => boolean, onChunk: (text: string) => void = () => undefined): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true });
    onChunk(text);
    if (done(text)) break;
  }
  return text;
}

test('pings flow while the upstream thinks before its first output, then the answer follows in order', async () => {
  let release: () => void = () => undefined;
  const thinking = new Promise<void>((resolve) => (release = resolve));
  anthropic.queue({ blocks: [{ type: 'text', text: 'Finally here.' }], pauseUntil: thinking });
  const response = await fetch(`${gateway.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Think long.' }] }),
  });
  assert.equal(response.status, 200);
  assert.ok(response.body !== null);
  const text = await readUntil(
    response.body,
    (sofar) => sofar.includes('event: message_stop'),
    (sofar) => {
      if (sofar.split(ANTHROPIC_PING).length > 3) release();
    },
  );
  const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
  assert.equal(events[0], 'message_start');
  assert.equal(events.filter((event) => event === 'message_start').length, 1);
  assert.ok(events.filter((event) => event === 'ping').length >= 3);
  const firstBlock = events.indexOf('content_block_start');
  assert.ok(events.slice(1, firstBlock).every((event) => event === 'ping'), 'only pings before the first block');
  assert.match(text, /"text":"Finally"/);
  assert.equal(events.at(-1), 'message_stop');
});

test('an upstream that fails after the stream opened ends it with an error event', async () => {
  anthropic.fail(529, 'overloaded_error', 'Overloaded', {}, 10);
  const response = await fetch(`${gateway.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'x' }] }),
  });
  const text = await response.text();
  if (response.status === 200) {
    assert.ok(text.endsWith('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'), text);
    assert.doesNotMatch(text, /message_stop/);
  } else {
    // Routing gave up before the first ping was due: a plain HTTP error, as before any stream.
    assert.equal(response.status, 529);
    assert.equal((JSON.parse(text) as { error: { type: string } }).error.type, 'overloaded_error');
  }
  anthropic.fail(200, '', '', {}, 0);
});
