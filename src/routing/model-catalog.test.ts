import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createProvider } from '../server/build-gateway.ts';
import { ModelCatalog } from './model-catalog.ts';
import { listenOnLoopback } from '../../test-support/loopback-server.ts';

let silent: Server;
let baseUrl: string;
const held: IncomingMessage[] = [];

before(async () => {
  // Accepts the model-list request and never answers it, as an upstream that hangs.
  silent = createServer((request) => held.push(request));
  const silentPort = await listenOnLoopback(silent);
  baseUrl = `http://127.0.0.1:${silentPort}/v1`;
});
after(async () => {
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('ModelCatalog', () => {
  it('says a provider that does not answer timed out, and after how long', async () => {
    const log = pino({ level: 'silent' });
    const provider = await createProvider({ id: 'slow', type: 'openai-compatible', base_url: baseUrl }, log);
    try {
      const catalog = new ModelCatalog([provider], log, { listTimeoutMs: 200 });
      assert.deepEqual(await catalog.modelsOf(provider), []);
      assert.deepEqual(catalog.failures(), [{ providerId: 'slow', message: 'timed out after 0.2 s' }]);
    } finally {
      await provider.close();
    }
  });
});
