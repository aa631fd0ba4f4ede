import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// Every client mistake is a 400 in Anthropic's shape naming the field; auth by x-api-key or Bearer;
// any anthropic-version, any anthropic-beta and ?beta=true accepted.

let cerebras: FakeCerebrasUpstream;
let gateway: TestGateway;
const KEY = 'sk-llmux-test';

before(async () => {
  cerebras = await FakeCerebrasUpstream.start();
  cerebras.answer({ text: 'ok' });
  gateway = await startTestGateway({ providers: [cerebras.providerConfig()], models: [{ name: 'claude-*', target: 'cerebras/gpt-oss-120b' }], keys: [{ key: KEY, name: 'test' }] });
});
after(async () => {
  await gateway.close();
  await cerebras.close();
});

async function post(body: unknown, headers: Record<string, string> = { 'x-api-key': KEY }, path = '/v1/messages'): Promise<{ status: number; body: { type?: string; error?: { type: string; message: string } }; headers: Headers }> {
  const response = await fetch(gateway.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { type?: string; error?: { type: string; message: string } }, headers: response.headers };
}

const valid = { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] };

async function refused(body: unknown, field: RegExp): Promise<void> {
  const answer = await post(body);
  assert.equal(answer.status, 400, JSON.stringify(answer.body));
  assert.equal(answer.body.type, 'error');
  assert.equal(answer.body.error?.type, 'invalid_request_error');
  assert.match(answer.body.error?.message ?? '', field);
  assert.ok((answer.headers.get('request-id') ?? '').length > 0);
}

test('malformed JSON, wrong types, missing fields, empty content', async () => {
  await refused('{"model": "claude-sonnet-4-6", "messages": [', /not valid JSON/);
  await refused({ ...valid, max_tokens: 'ten' }, /max_tokens/);
  await refused({ model: 'claude-sonnet-4-6', messages: valid.messages }, /max_tokens: required/);
  await refused({ ...valid, messages: [{ role: 'user', content: [] }] }, /messages\[0\]\.content/);
  await refused({ ...valid, messages: [{ role: 'system', content: 'x' }] }, /messages\[0\]\.role/);
  await refused({ ...valid, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, /messages\[0\]\.content\[0\]\.text/);
  await refused({ ...valid, messages: [{ role: 'user', content: [{ type: 'hologram' }] }] }, /messages\[0\]\.content\[0\]\.type/);
  await refused({ ...valid, temperature: 3 }, /temperature/);
});

test('a tool_result without its tool_use, and blocks in the wrong turn', async () => {
  await refused({ ...valid, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }] }] }, /messages\[0\]\.content\[0\]\.tool_use_id: no tool_use with id 'toolu_x'/);
  await refused({ ...valid, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] }] }, /only allowed in assistant messages/);
});

test('server tools and server tool blocks are refused by name for an upstream other than Anthropic', async () => {
  await refused({ ...valid, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] }, /tools\[0\].*web_search_20250305.*provider 'cerebras'/);
  await refused({ ...valid, messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] }] }, /server_tool_use.*provider 'cerebras'/);
});

test('a document a chat-completions upstream cannot take is refused, naming the provider', async () => {
  const document = { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } };
  const answer = await post({ ...valid, messages: [{ role: 'user', content: [document, { type: 'text', text: 'Summarise' }] }] });
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error?.type, 'invalid_request_error');
  assert.match(answer.body.error?.message ?? '', /cerebras/);
});

test('auth: x-api-key or Bearer; a wrong key is authentication_error', async () => {
  assert.equal((await post(valid, { 'x-api-key': KEY })).status, 200);
  assert.equal((await post(valid, { authorization: `Bearer ${KEY}` })).status, 200);
  const missing = await post(valid, {});
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error?.type, 'authentication_error');
  assert.equal((await post(valid, { 'x-api-key': 'wrong' })).body.error?.type, 'authentication_error');
});

test('any anthropic-version and anthropic-beta, and ?beta=true, are accepted', async () => {
  const answer = await post(valid, { 'x-api-key': KEY, 'anthropic-version': '2099-01-01', 'anthropic-beta': 'some-flag-2099-12-31,another' }, '/v1/messages?beta=true');
  assert.equal(answer.status, 200);
  const counted = await post({ model: 'claude-sonnet-4-6', messages: valid.messages }, { 'x-api-key': KEY, 'anthropic-beta': 'token-counting-2024-11-01' }, '/v1/messages/count_tokens?beta=true');
  assert.equal(counted.status, 200);
});

test('an unknown Messages path is not_found_error in Anthropic shape', async () => {
  const answer = await post({}, { 'x-api-key': KEY }, '/v1/messages/batches');
  assert.equal(answer.status, 404);
  assert.equal(answer.body.type, 'error');
  assert.equal(answer.body.error?.type, 'not_found_error');
});

test('an unknown model is not_found_error in Anthropic shape', async () => {
  const answer = await post({ ...valid, model: 'gpt-nothing' });
  assert.equal(answer.status, 404);
  assert.equal(answer.body.error?.type, 'not_found_error');
});
