import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import OpenAI from 'openai';
import { openSqliteStateStore } from '../src/state/sqlite/open-sqlite-state-store.ts';
import type { StateStore } from '../src/state/state-store.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

const directory = mkdtempSync(join(tmpdir(), 'llmux-responses-'));
after(() => rmSync(directory, { recursive: true, force: true }));

interface Running {
  gateway: TestGateway;
  state: StateStore;
  provider: ScriptedProvider;
  client: OpenAI;
  stop(): Promise<void>;
}

/** llmux with its state in a SQLite file, as `llmux serve` runs it; stop() closes it as a drain does. */
async function start(path: string): Promise<Running> {
  const state = await openSqliteStateStore(path);
  const provider = new ScriptedProvider('scripted', [{ id: 'model-a' }]);
  const gateway = await startTestGateway({ models: [{ name: 'gpt-test', target: 'scripted/model-a' }], state: { usage: false } }, { adapters: [provider], state });
  const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  return {
    gateway,
    state,
    provider,
    client,
    stop: async () => {
      await gateway.close();
      await state.close();
    },
  };
}

const userTexts = (provider: ScriptedProvider): string[] =>
  (provider.requests.at(-1)?.messages ?? []).map((message) => `${message.role}: ${message.parts.map((part) => (part.type === 'text' ? part.text : part.type)).join('')}`);

describe('stored responses in the state database', () => {
  it('continue a response sent a moment ago, and are found again after a restart: retrieve, input items, previous_response_id, delete', async () => {
    const path = join(directory, 'restart', 'llmux.db');
    const first = await start(path);
    let firstId: string;
    let secondId: string;
    let unstoredId: string;
    try {
      first.provider.script = textScript('Hi Ada.');
      const one = await first.client.responses.create({ model: 'gpt-test', instructions: 'Be brief.', input: 'I am Ada.' });
      firstId = one.id;
      // At once, before any batch could have been written: read from what waits to be written.
      first.provider.script = textScript('Noted: blue.');
      const two = await first.client.responses.create({ model: 'gpt-test', previous_response_id: one.id, input: 'I like blue.' });
      secondId = two.id;
      assert.deepEqual(userTexts(first.provider), ['user: I am Ada.', 'assistant: Hi Ada.', 'user: I like blue.']);
      // With store: false nothing is kept.
      first.provider.script = textScript('Not kept.');
      unstoredId = (await first.client.responses.create({ model: 'gpt-test', input: 'Forget this.', store: false })).id;
    } finally {
      await first.stop();
    }
    const database = await openSqliteStateStore(path);
    assert.equal(await database.responses.count(), 2, 'closing (the drain) writes what waited');
    assert.equal(await database.responses.get(unstoredId), undefined);
    await database.close();

    const second = await start(path);
    try {
      const retrieved = await second.client.responses.retrieve(secondId);
      assert.equal(retrieved.id, secondId);
      assert.equal(retrieved.previous_response_id, firstId);
      assert.equal(retrieved.output_text, 'Noted: blue.');
      const items = await second.client.responses.inputItems.list(firstId);
      assert.deepEqual(
        items.data.map((item) => (item.type === 'message' && item.content[0]?.type === 'input_text' ? item.content[0].text : item.type)),
        ['I am Ada.'],
      );
      second.provider.script = textScript('Ada likes blue.');
      const three = await second.client.responses.create({ model: 'gpt-test', previous_response_id: secondId, input: 'Who am I and what do I like?' });
      assert.equal(three.output_text, 'Ada likes blue.');
      assert.deepEqual(userTexts(second.provider), ['user: I am Ada.', 'assistant: Hi Ada.', 'user: I like blue.', 'assistant: Noted: blue.', 'user: Who am I and what do I like?']);
      assert.deepEqual(await second.client.responses.delete(firstId), { id: firstId, object: 'response', deleted: true });
      await assert.rejects(second.client.responses.retrieve(firstId), (error: unknown) => error instanceof OpenAI.NotFoundError);
      // The chain through the deleted response is broken, and says so.
      await assert.rejects(
        second.client.responses.create({ model: 'gpt-test', previous_response_id: three.id, input: 'Again?' }),
        (error: unknown) => error instanceof OpenAI.NotFoundError && /no longer stored/.test(error.message),
      );
    } finally {
      await second.stop();
    }
  });
});
