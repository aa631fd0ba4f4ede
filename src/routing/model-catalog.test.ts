import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createProvider } from '../server/build-gateway.ts';
import { ModelCatalog } from './model-catalog.ts';

let silent: Server;
let baseUrl: string;
const held: IncomingMessage[] = [];

before(async () => {
  // Accepts the model-list request and never answers it, as an upstream that hangs.
  silent = createServer((request) => held.push(request));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
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
