import type { FastifyBaseLogger } from 'fastify';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { BatchedChatStream } from '../../canonical/chat-event-batches.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../../canonical/image-generation.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import { checkUpstreamStatus } from '../shared/check-upstream-status.ts';
import { readUpstreamText } from '../shared/read-upstream-body.ts';
import { streamUpstreamBatches } from '../shared/stream-upstream-batches.ts';
import { headerValue, type UpstreamHttpClient, type UpstreamResponse } from '../shared/upstream-http-client.ts';
import { collectChatResponse } from '../collect-chat-response.ts';
import type { CallContext, ProviderAdapter } from '../provider-adapter.ts';
import { convertChatRequestToPoeQuery } from './convert-chat-request-to-poe-query.ts';
import { generatePoeImages } from './generate-poe-images.ts';
import type { PoeAttachmentUploader } from './poe-attachment-uploader.ts';
import { PoeBotStreamDecoder, type PoeBotStreamOptions } from './poe-bot-stream-decoder.ts';
import type { ApiKeyPool } from '../shared/api-key-pool.ts';
import type { KeyHeadroom } from '../shared/key-headroom.ts';
import type { RestingKey } from '../shared/resting-key.ts';
import { fetchPoeModelList } from './poe-model-list.ts';
import { parsePoeErrorBody } from './parse-poe-error-body.ts';
import { fitPoeParameters, readPoeParameterControls, type PoeParameterControl } from './poe-parameter-controls.ts';
import { POE_ENDPOINTS } from './poe-endpoints.ts';
import { preloadTextTokenizer } from '../../tokens/text-tokenizer.ts';

/** How much of a body left unread after `done` is read so that its connection can be reused. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;
const DRAIN_WAIT_MS = 1_000;

export interface PoeBotAdapterOptions {
  id: string;
  /** Ends in `/`; a bot's endpoint is `<botBaseUrl><BOT_NAME>`. */
  botBaseUrl: string;
  modelsUrl: string;
  keys: ApiKeyPool;
  uploader: PoeAttachmentUploader;
  httpClient: UpstreamHttpClient;
  /** Extra headers from the config, sent with every call. */
  headers: Record<string, string>;
  log: FastifyBaseLogger;
}

/**
 * Poe through the bot query protocol that fastapi_poe's client speaks
 * (github:poe-platform/fastapi_poe src/fastapi_poe/client.py): one POST per answer to
 * `<base>/<BOT_NAME>`, answered with server-sent events. Poe bot names are the model names.
 * The protocol reports no usage: the finish carries none and routing counts tokens.
 */
export class PoeBotAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'poe';
  private readonly options: PoeBotAdapterOptions;
  private readonly controls = new Map<string, Promise<PoeParameterControl[] | undefined>>();

  constructor(options: PoeBotAdapterOptions) {
    this.id = options.id;
    this.options = options;
  }

  restingKeys(): RestingKey[] {
    return this.options.keys.resting();
  }

  keyHeadroom(): KeyHeadroom[] {
    return this.options.keys.headroom();
  }

  streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    // Every answer is counted with the tokenizer once it ends: it loads while the bot answers.
    preloadTextTokenizer();
    return this.query(request, context, 'stream');
  }

  async completeChat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
    preloadTextTokenizer();
    return collectChatResponse(await this.query(request, context, 'final'));
  }

  listModels(context: CallContext): Promise<ProviderModel[]> {
    return fetchPoeModelList(this.options.httpClient, this.options.modelsUrl, this.options.headers, { ...context, providerId: this.id });
  }

  /**
   * Image bots through the bot protocol, the one that carries custom parameters (`aspect`,
   * `quality`, `style`) on the message (https://creator.poe.com/api-reference/client-sdks:
   * "Custom Parameters … Poe Python Library ✅, OpenAI-compatible API ❌"), fitted to the controls
   * the bot declares in its settings where it declares any.
   */
  async generateImages(request: ImageGenerationRequest, context: CallContext): Promise<ImageGenerationResponse> {
    const controls = await this.parameterControls(request.model, context);
    return generatePoeImages(request, context, {
      httpClient: this.options.httpClient,
      chatRequest: (model, prompt, { parameters, degraded }) => {
        const fitted = fitPoeParameters(parameters, controls, degraded);
        return { model, stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: prompt }] }], providerOptions: { poe: { parameters: fitted } } };
      },
      // No token count follows an image answer: the tokenizer is not loaded for it.
      complete: async (chatRequest, callContext) => collectChatResponse(await this.query(chatRequest, callContext, 'final')),
    });
  }

  async close(): Promise<void> {
    await this.options.httpClient.close();
  }

  /**
   * The parameter controls a bot declares, asked with a `settings` request as fastapi_poe's
   * server answers it (base.py: `type: "settings"` → `SettingsResponse`, `parameter_controls`);
   * kept per bot. Undefined when the bot declares none or does not answer.
   */
  private parameterControls(bot: string, context: CallContext): Promise<PoeParameterControl[] | undefined> {
    let known = this.controls.get(bot);
    if (known === undefined) {
      known = this.fetchSettings(bot, context).then(readPoeParameterControls, () => undefined);
      this.controls.set(bot, known);
    }
    return known;
  }

  private async fetchSettings(bot: string, context: CallContext): Promise<unknown> {
    const key = this.options.keys.next();
    const headers: Record<string, string> = { ...this.options.headers, accept: 'application/json', 'content-type': 'application/json' };
    if (key !== undefined) headers['authorization'] = `Bearer ${key}`;
    const body = JSON.stringify({ version: POE_ENDPOINTS.botProtocolVersion, type: 'settings' });
    const response = await this.options.httpClient.request({ url: this.options.botBaseUrl + encodeURIComponent(bot), method: 'POST', headers, body, signal: context.signal });
    const url = this.options.botBaseUrl + encodeURIComponent(bot);
    if (response.status !== 200) {
      await response.body.drain();
      throw new Error(`settings of ${bot}: HTTP ${response.status}`);
    }
    return JSON.parse(await readUpstreamText(response, url)) as unknown;
  }

  /**
   * Decodes the body. Poe ends the body right after `done`; a server that does not is cut off
   * after a moment. An in-band refusal of the key (`insufficient_fund`) rests the key as an HTTP
   * 402 does.
   */
  private events(response: UpstreamResponse, options: PoeBotStreamOptions, key: string | undefined): BatchedChatStream {
    const decoder = new PoeBotStreamDecoder({ ...options, reportError: (error) => this.options.keys.reportFailure(key, error) });
    return streamUpstreamBatches(response.body, decoder, {
      isEnd: (event) => event.type === 'finish' || event.type === 'error',
      drainLimitBytes: DRAIN_LIMIT_BYTES,
      drainWaitMs: DRAIN_WAIT_MS,
    });
  }

  private query(request: ChatRequest, context: CallContext, mode: 'stream' | 'final'): Promise<AsyncIterable<ChatStreamEvent>> {
    const { keys, uploader, httpClient } = this.options;
    const botName = request.model;
    return keys.withKey(async (key) => {
      const { body, degraded } = await convertChatRequestToPoeQuery(request, (source, filename) => uploader.upload(source, filename, key, context.signal), this.id);
      const url = this.options.botBaseUrl + encodeURIComponent(botName);
      const headers: Record<string, string> = {
        ...this.options.headers,
        accept: 'text/event-stream',
        'cache-control': 'no-store',
        'content-type': 'application/json',
      };
      if (key !== undefined) headers['authorization'] = `Bearer ${key}`;
      const response = await httpClient.request({ url, method: 'POST', headers, body: JSON.stringify(body), signal: context.signal });
      await checkUpstreamStatus(response, { url, providerId: this.id, parseError: (input) => parsePoeErrorBody(input, { nameKind: 'bot', name: botName }) });
      const contentType = headerValue(response.headers, 'content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        const text = await readUpstreamText(response, url).catch(() => '');
        throw new GatewayError('upstream', `Poe bot '${botName}' answered ${contentType || 'without a content type'} instead of an event stream: ${text.slice(0, 200)}`);
      }
      return this.events(response, { botName, mode, log: context.log, url, degraded }, key);
    });
  }
}
