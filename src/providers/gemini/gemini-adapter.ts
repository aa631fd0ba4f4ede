import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { BatchedChatStream } from '../../canonical/chat-event-batches.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embedding.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import { DEFAULT_BASE_URLS } from '../../config/default-base-url.ts';
import { checkUpstreamStatus } from '../shared/check-upstream-status.ts';
import { limitMaxTokens, type MaxTokensLimits } from '../shared/limit-max-tokens.ts';
import { readUpstreamJson } from '../shared/read-upstream-body.ts';
import { retryAfterSeconds } from '../shared/retry-after-seconds.ts';
import { streamUpstreamBatches } from '../shared/stream-upstream-batches.ts';
import type { UpstreamHttpClient, UpstreamResponse } from '../shared/upstream-http-client.ts';
import { ApiKeyPool, apiKeysFromConfig } from '../shared/api-key-pool.ts';
import { ChatResponseCollector } from '../collect-chat-response.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput } from '../provider-adapter.ts';
import { convertChatRequestToGemini } from './convert-chat-request-to-gemini.ts';
import { convertGeminiModel } from './convert-gemini-models.ts';
import { mapGeminiError } from './map-gemini-error.ts';
import { geminiBatchEmbedContentsResponseSchema, geminiEmbedContentResponseSchema, geminiModelListSchema } from './gemini-response-schemas.ts';
import { GeminiSignatureMemory } from './gemini-signature-memory.ts';
import { GeminiStreamDecoder, type GeminiDecodeOptions } from './gemini-stream-decoder.ts';

const DEFAULT_API_VERSION = 'v1beta';
/** Model list pages read at most (1000 models a page). */
const MAX_MODEL_PAGES = 20;
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Provider type `gemini`: Google's Gemini API (https://ai.google.dev/api), key in `x-goog-api-key`.
 * Chat through `generateContent` and `streamGenerateContent?alt=sse`, discovery through paginated
 * `GET /models`, embeddings through `embedContent` / `batchEmbedContents`.
 */
export class GeminiAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'gemini';
  private readonly root: string;
  private readonly keys: ApiKeyPool;
  private readonly extraHeaders: Record<string, string>;
  private readonly httpClient: UpstreamHttpClient;
  private readonly signatures = new GeminiSignatureMemory();
  private readonly passThroughFields: ReadonlySet<string>;
  private readonly maxTokens: MaxTokensLimits;

  constructor(input: ProviderFactoryInput) {
    const { config } = input;
    this.id = config.id;
    const base = (config.base_url ?? (DEFAULT_BASE_URLS.gemini as string)).replace(/\/+$/, '');
    // A base URL that already ends in a version (GEMINI_BASE_URL=…/v1beta) is used as it is.
    this.root = /\/v\d+(alpha|beta)?\d*$/.test(base) ? base : `${base}/${config.api_version ?? DEFAULT_API_VERSION}`;
    this.keys = new ApiKeyPool(apiKeysFromConfig(config));
    this.extraHeaders = config.headers ?? {};
    this.httpClient = input.httpClient;
    this.passThroughFields = new Set(config.pass_through_fields ?? []);
    this.maxTokens = { defaultMaxTokens: config.default_max_tokens, maxTokensCap: config.max_tokens_cap };
  }

  async streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    const { body, degraded } = this.convert(request, context);
    const response = await this.send('POST', `${this.modelPath(request.model)}:streamGenerateContent?alt=sse`, JSON.stringify(body), context);
    return this.streamEvents(response, degraded);
  }

  async completeChat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
    const { body, degraded } = this.convert(request, context);
    const path = `${this.modelPath(request.model)}:generateContent`;
    const payload = await this.readJson(await this.send('POST', path, JSON.stringify(body), context), path);
    const decoder = new GeminiStreamDecoder(this.decodeOptions(degraded));
    const collector = new ChatResponseCollector();
    for (const event of [...decoder.pushResponse(payload), ...decoder.end()]) collector.push(event);
    return collector.result();
  }

  async listModels(context: CallContext): Promise<ProviderModel[]> {
    const models: ProviderModel[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const path = `/models?pageSize=1000${pageToken === undefined ? '' : `&pageToken=${encodeURIComponent(pageToken)}`}`;
      const parsed = geminiModelListSchema.safeParse(await this.readJson(await this.send('GET', path, undefined, context), '/models'));
      if (!parsed.success) throw new GatewayError('upstream', `provider '${this.id}' answered /models with something that is not Gemini's model list`);
      models.push(...(parsed.data.models ?? []).map(convertGeminiModel));
      pageToken = parsed.data.nextPageToken;
      if (pageToken === undefined || pageToken === '') break;
    }
    return models;
  }

  async embed(request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResponse> {
    const model = this.modelPath(request.model).slice(1);
    const one = (text: string): Record<string, unknown> => ({
      model,
      content: { parts: [{ text }] },
      ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
    });
    if (request.input.length === 1) {
      const path = `/${model}:embedContent`;
      const parsed = geminiEmbedContentResponseSchema.safeParse(await this.readJson(await this.send('POST', path, JSON.stringify(one(request.input[0] as string)), context), path));
      if (!parsed.success) throw new GatewayError('upstream', `provider '${this.id}' answered embedContent without an embedding`);
      return { model: request.model, embeddings: [parsed.data.embedding.values] };
    }
    const path = `/${model}:batchEmbedContents`;
    const body = JSON.stringify({ requests: request.input.map(one) });
    const parsed = geminiBatchEmbedContentsResponseSchema.safeParse(await this.readJson(await this.send('POST', path, body, context), path));
    if (!parsed.success || parsed.data.embeddings.length !== request.input.length) {
      throw new GatewayError('upstream', `provider '${this.id}' answered batchEmbedContents without one embedding per input`);
    }
    return { model: request.model, embeddings: parsed.data.embeddings.map((embedding) => embedding.values) };
  }

  async close(): Promise<void> {
    await this.httpClient.close();
  }

  private convert(request: ChatRequest, context: CallContext): { body: unknown; degraded: DegradedField[] } {
    const capped: DegradedField[] = [];
    const limited = limitMaxTokens(request, this.maxTokens, this.id, capped);
    const conversion = convertChatRequestToGemini(limited, { providerId: this.id, passThroughFields: this.passThroughFields, rememberedSignature: (call) => this.signatures.recall(call) });
    conversion.degraded.unshift(...capped);
    if (conversion.degraded.length > 0) context.log.warn({ provider: this.id, model: request.model, degraded: conversion.degraded }, `request fields not sent to provider '${this.id}' as they were`);
    return conversion;
  }

  private decodeOptions(degraded: DegradedField[]): GeminiDecodeOptions {
    return { providerId: this.id, degraded, onSignedToolCall: (call, signature) => this.signatures.remember(call, signature) };
  }

  /** `/models/<id>`; a client may name the model with or without `models/`. */
  private modelPath(model: string): string {
    return `/models/${model.replace(/^models\//, '')}`;
  }

  private streamEvents(response: UpstreamResponse, degraded: DegradedField[]): BatchedChatStream {
    return streamUpstreamBatches(response.body, new GeminiStreamDecoder(this.decodeOptions(degraded)), {
      isEnd: (event) => event.type === 'finish' || event.type === 'error',
      drainLimitBytes: DRAIN_LIMIT_BYTES,
    });
  }

  /** One upstream call with the next key; any status outside 2xx is thrown as a GatewayError. */
  private async send(method: 'GET' | 'POST', path: string, body: string | undefined, context: CallContext): Promise<UpstreamResponse> {
    const url = this.root + path;
    return this.keys.withKey(async (key) => {
      const headers: Record<string, string> = { accept: 'application/json, text/event-stream', 'user-agent': 'llmux' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (key !== undefined) headers['x-goog-api-key'] = key;
      Object.assign(headers, this.extraHeaders);
      const response = await this.httpClient.request(body === undefined ? { url, method, headers, signal: context.signal, wait: context.upstreamWait } : { url, method, headers, body, signal: context.signal, wait: context.upstreamWait });
      return checkUpstreamStatus(response, { url, providerId: this.id, parseError: (input) => mapGeminiError(input.status, input.text, this.id, retryAfterSeconds(input.headers)) });
    });
  }

  private async readJson(response: UpstreamResponse, path: string): Promise<unknown> {
    return readUpstreamJson(response, this.root + path);
  }
}
