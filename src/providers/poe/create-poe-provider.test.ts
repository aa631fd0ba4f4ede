import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderConfig } from '../../config/gateway-config-schema.ts';
import { createLogger } from '../../observability/create-logger.ts';
import type { UpstreamHttpClient, UpstreamRequest } from '../shared/upstream-http-client.ts';
import type { CallContext } from '../provider-adapter.ts';
import { createPoeProvider } from './create-poe-provider.ts';

const log = createLogger('silent');
const context: CallContext = { signal: new AbortController().signal, requestId: 'test', log };

/** An HTTP client that records where each request went and refuses it, so nothing leaves the machine. */
function recordingClient(): { client: UpstreamHttpClient; requests: UpstreamRequest[] } {
  const requests: UpstreamRequest[] = [];
  const client: UpstreamHttpClient = {
    request: async (request) => {
      requests.push(request);
      throw new GatewayError('invalid_request', 'recorded', { retryable: false });
    },
    close: async () => undefined,
  };
  return { client, requests };
}

function provider(config: Partial<ProviderConfig>) {
  const { client, requests } = recordingClient();
  const adapter = createPoeProvider({ config: { id: 'poe', type: 'poe', api_key: 'k', ...config } as ProviderConfig, httpClient: client, log });
  return { adapter, requests };
}

const ask = (parts: ChatRequest['messages'][number]['parts'] = [{ type: 'text', text: 'hi' }]): ChatRequest => ({
  model: 'Claude-Sonnet-4',
  stream: true,
  messages: [{ role: 'user', parts }],
});

async function urlsOf(requests: UpstreamRequest[], call: () => Promise<unknown>): Promise<string[]> {
  await assert.rejects(call(), /recorded/);
  return requests.splice(0).map((request) => `${request.method} ${request.url}`);
}

describe('createPoeProvider: where each protocol goes', () => {
  it('speaks the OpenAI-compatible API at https://api.poe.com/v1 by default', async () => {
    const { adapter, requests } = provider({});
    // A first stream reads the model list to know whether the bot is a media bot (called unstreamed).
    assert.deepEqual(await urlsOf(requests, () => adapter.streamChat(ask(), context)), ['GET https://api.poe.com/v1/models', 'POST https://api.poe.com/v1/chat/completions']);
    assert.deepEqual(await urlsOf(requests, () => adapter.listModels(context)), ['GET https://api.poe.com/v1/models']);
  });

  it('speaks the bot protocol at https://api.poe.com/bot/<BOT_NAME>, lists models on the same origin, uploads to Poe', async () => {
    const { adapter, requests } = provider({ protocol: 'bot' });
    assert.deepEqual(await urlsOf(requests, () => adapter.streamChat(ask(), context)), ['POST https://api.poe.com/bot/Claude-Sonnet-4']);
    assert.deepEqual(await urlsOf(requests, () => adapter.listModels(context)), ['GET https://api.poe.com/v1/models']);
    const image = ask([{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } }]);
    assert.deepEqual(await urlsOf(requests, () => adapter.streamChat(image, context)), ['POST https://www.quora.com/poe_api/file_upload_3RD_PARTY_POST']);
  });

  it('honours base_url (with or without the trailing slash), models_url and upload_url', async () => {
    const bot = provider({ protocol: 'bot', base_url: 'https://poe.example:8443/custom/bot', upload_url: 'https://files.example/upload' });
    assert.deepEqual(await urlsOf(bot.requests, () => bot.adapter.streamChat(ask(), context)), ['POST https://poe.example:8443/custom/bot/Claude-Sonnet-4']);
    assert.deepEqual(await urlsOf(bot.requests, () => bot.adapter.listModels(context)), ['GET https://poe.example:8443/v1/models']);
    const image = ask([{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } }]);
    assert.deepEqual(await urlsOf(bot.requests, () => bot.adapter.streamChat(image, context)), ['POST https://files.example/upload']);

    // Without upload_url, attachments follow base_url to its origin rather than to the real Poe host.
    const derived = provider({ protocol: 'bot', base_url: 'https://poe.example:8443/custom/bot' });
    assert.deepEqual(await urlsOf(derived.requests, () => derived.adapter.streamChat(image, context)), ['POST https://poe.example:8443/poe_api/file_upload_3RD_PARTY_POST']);
    const real = provider({ protocol: 'bot', base_url: 'https://api.poe.com/bot' });
    assert.deepEqual(await urlsOf(real.requests, () => real.adapter.streamChat(image, context)), ['POST https://www.quora.com/poe_api/file_upload_3RD_PARTY_POST']);

    const listed = provider({ protocol: 'bot', models_url: 'https://models.example/list' });
    assert.deepEqual(await urlsOf(listed.requests, () => listed.adapter.listModels(context)), ['GET https://models.example/list']);

    const openai = provider({ base_url: 'https://proxy.example/poe/v1/' });
    assert.deepEqual(await urlsOf(openai.requests, () => openai.adapter.streamChat(ask(), context)), ['GET https://proxy.example/poe/v1/models', 'POST https://proxy.example/poe/v1/chat/completions']);
    assert.deepEqual(await urlsOf(openai.requests, () => openai.adapter.listModels(context)), ['GET https://proxy.example/poe/v1/models']);
  });
});
