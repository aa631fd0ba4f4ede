import type { ProviderFactory } from '../provider-adapter.ts';
import { PoeAttachmentUploader } from './poe-attachment-uploader.ts';
import { PoeBotAdapter } from './poe-bot-adapter.ts';
import { normalizePoeBotBaseUrl, POE_ENDPOINTS, poeModelsUrlForBotBase, poeUploadUrlForBotBase } from './poe-endpoints.ts';
import { ApiKeyPool, apiKeysFromConfig } from '../shared/api-key-pool.ts';
import { PoeOpenAIAdapter } from './poe-openai-adapter.ts';

/**
 * Provider type `poe`. `protocol: openai` (default) uses Poe's OpenAI-compatible API at
 * `https://api.poe.com/v1`; `protocol: bot` speaks the bot query protocol at
 * `https://api.poe.com/bot/<BOT_NAME>`. `base_url` overrides either; `api_keys` are balanced
 * round-robin; the model list comes from Poe's `/v1/models` (`models_url` overrides where), and
 * attachments go to Poe's upload endpoint, or to the same path on `base_url`'s origin when it
 * points elsewhere (`upload_url` overrides where).
 */
export const createPoeProvider: ProviderFactory = (input) => {
  const { config } = input;
  if (config.protocol === 'bot') {
    const botBaseUrl = normalizePoeBotBaseUrl(config.base_url ?? POE_ENDPOINTS.botBaseUrl);
    return new PoeBotAdapter({
      id: config.id,
      botBaseUrl,
      modelsUrl: config.models_url ?? poeModelsUrlForBotBase(botBaseUrl),
      keys: new ApiKeyPool(apiKeysFromConfig(config)),
      uploader: new PoeAttachmentUploader(input.httpClient, config.upload_url ?? poeUploadUrlForBotBase(botBaseUrl), config.id),
      httpClient: input.httpClient,
      headers: config.headers ?? {},
      log: input.log,
    });
  }
  const baseUrl = (config.base_url ?? POE_ENDPOINTS.openaiBaseUrl).replace(/\/+$/, '');
  return new PoeOpenAIAdapter(input, config.models_url ?? `${baseUrl}/models`);
};
