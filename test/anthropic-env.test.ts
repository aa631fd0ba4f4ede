import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { loadGatewayConfig } from '../src/config/load-gateway-config.ts';
import { FAKE_ANTHROPIC_KEY, FakeAnthropicServer } from '../test-support/fake-anthropic-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

// Env-only mode: ANTHROPIC_API_KEY enables provider `anthropic`, ANTHROPIC_BASE_URL moves it
// (the SDK's own variable: the origin, without /v1).

let anthropic: FakeAnthropicServer;
let directory: string;
let gateway: TestGateway;

before(async () => {
  anthropic = await FakeAnthropicServer.start();
  anthropic.models(['claude-sonnet-4-6']);
  anthropic.answer({ blocks: [{ type: 'text', text: 'From env.' }] });
  directory = await mkdtemp(join(tmpdir(), 'llmux-anthropic-env-'));
  const loaded = await loadGatewayConfig({ environment: { ANTHROPIC_API_KEY: FAKE_ANTHROPIC_KEY, ANTHROPIC_BASE_URL: anthropic.baseUrl }, cwd: directory });
  assert.equal(loaded.source.kind, 'environment');
  assert.deepEqual(loaded.config.providers.map((provider) => [provider.id, provider.type]), [['anthropic', 'anthropic']]);
  gateway = await startTestGateway(loaded.config);
});
after(async () => {
  await gateway.close();
  await anthropic.close();
  await rm(directory, { recursive: true, force: true });
});

test('Claude answers every client from the environment alone', async () => {
  const viaAnthropic = await new Anthropic({ apiKey: 'unused', baseURL: gateway.baseUrl, maxRetries: 0 }).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(viaAnthropic.content[0]?.type === 'text' ? viaAnthropic.content[0].text : '', 'From env.');
  const viaOpenAI = await new OpenAI({ apiKey: 'unused', baseURL: `${gateway.baseUrl}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'anthropic/claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] });
  assert.equal(viaOpenAI.choices[0]?.message.content, 'From env.');
  assert.equal(anthropic.calls('/v1/messages').at(-1)?.headers['x-api-key'], FAKE_ANTHROPIC_KEY);
});
