import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';

/**
 * The fake Poe is checked against fastapi_poe itself (github:poe-platform/fastapi_poe), not
 * against llmux: a fake that agreed with llmux's mistakes would prove nothing.
 */
describe('FakePoeServer is faithful to fastapi_poe', () => {
  let poe: FakePoeServer;
  before(async () => {
    poe = await FakePoeServer.start();
    poe.bot('EchoBot', [{ event: 'text', data: { text: 'Grüß 👋' } }, { comment: 'ping - 2025-06-01 10:00:00.000000+00:00' }]);
  });
  after(() => poe.close());

  const post = (body: unknown, key = 'poe-test-key') =>
    fetch(`${poe.botBaseUrl}EchoBot`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // The minimal body of reference A1, which fastapi_poe's own client sends (get_bot_response).
  const minimal = {
    version: '1.2',
    type: 'query',
    user_id: '',
    conversation_id: '',
    message_id: '',
    query: [
      { role: 'system', content: 'You are terse.', content_type: 'text/markdown' },
      { role: 'user', content: 'Describe this', content_type: 'text/markdown', attachments: [{ url: 'https://pfst.cf2.poecdn.net/base/image/x', content_type: 'image/png', name: 'cat.png' }] },
      { role: 'bot', content: 'previous answer' },
    ],
    temperature: 0.7,
    skip_system_prompt: false,
    logit_bias: {},
    stop_sequences: [],
    tools: null,
    tool_calls: null,
    tool_results: null,
  };

  it("frames events as sse_starlette does: event/data lines ended by \\r\\n, Python's json.dumps, meta first, done last", async () => {
    const response = await post(minimal);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(
      await response.text(),
      'event: meta\r\ndata: {"content_type": "text/markdown", "refetch_settings": false, "linkify": true, "suggested_replies": false}\r\n\r\n' +
        'event: text\r\ndata: {"text": "Gr\\u00fc\\u00df \\ud83d\\udc4b"}\r\n\r\n' +
        ': ping - 2025-06-01 10:00:00.000000+00:00\r\n\r\n' +
        'event: done\r\ndata: {}\r\n\r\n',
    );
  });

  it("accepts what fastapi_poe's QueryRequest accepts and refuses what it refuses", async () => {
    assert.equal((await post({ ...minimal, query: [{ role: 'user', content: 'hi' }], temperature: null })).status, 200);
    const refused: [string, unknown][] = [
      ['developer is not a ProtocolMessage role', { ...minimal, query: [{ role: 'developer', content: 'x' }] }],
      ['assistant is not a ProtocolMessage role', { ...minimal, query: [{ role: 'assistant', content: 'x' }] }],
      ['content is required', { ...minimal, query: [{ role: 'user' }] }],
      ['user_id is required', { ...minimal, user_id: undefined }],
      ['attachments need a name', { ...minimal, query: [{ role: 'user', content: 'x', attachments: [{ url: 'u', content_type: 'image/png' }] }] }],
      ['tools need a description', { ...minimal, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }] }],
      ['tool arguments are a string', { ...minimal, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: { a: 1 } } }] }],
      ['stop_sequences are strings', { ...minimal, stop_sequences: 'END' }],
    ];
    for (const [why, body] of refused) assert.equal((await post(body)).status, 422, why);
    assert.equal((await post(minimal, 'revoked')).status, 401);
  });
});
