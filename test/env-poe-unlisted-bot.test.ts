import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { loadGatewayConfig } from '../src/config/load-gateway-config.ts';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { startTestGateway } from '../test-support/start-test-gateway.ts';

/**
 * The Poe bridge passed any model name to Poe as a bot name. Poe's public model list omits
 * private bots, so in env-only mode names nothing else knows still go to Poe.
 */
describe('env-only Poe: bots missing from Poe’s model list', () => {
  let poe: FakePoeServer;
  let directory: string;

  before(async () => {
    poe = await FakePoeServer.start();
    poe.keys.add('poe-key');
    poe.openai('My-Private-Bot', { text: 'private hello' });
    directory = await mkdtemp(join(tmpdir(), 'llmux-poe-unlisted-'));
  });
  after(async () => {
    await poe.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('routes an unlisted bot name to Poe unchanged', async () => {
    assert.ok(!poe.models.some((model) => model['id'] === 'My-Private-Bot'), 'the bot is not in the fake model list');
    const loaded = await loadGatewayConfig({ environment: { SYSTEM_TOKEN: 'poe-key', POE_BASE_URL: poe.openaiBaseUrl }, cwd: directory });
    const gateway = await startTestGateway(loaded.config);
    try {
      const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
      const answer = await client.chat.completions.create({ model: 'My-Private-Bot', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(answer.choices[0]?.message.content, 'private hello');
      assert.equal(poe.openaiCalls.at(-1)?.body['model'], 'My-Private-Bot');
    } finally {
      await gateway.close();
    }
  });
});
