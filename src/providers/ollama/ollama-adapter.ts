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
import { collectChatResponse } from '../collect-chat-response.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput } from '../provider-adapter.ts';
import { convertChatRequestToOllama } from './convert-chat-request-to-ollama.ts';
import { convertOllamaModel, type OllamaListedModel } from './convert-ollama-models.ts';
import { mapOllamaError } from './map-ollama-error.ts';
import { ollamaEmbedSchema, ollamaShowSchema, ollamaTagsSchema } from './ollama-response-schemas.ts';
import { OllamaStreamDecoder } from './ollama-stream-decoder.ts';

/** How many `/api/show` calls discovery makes at once. */
const SHOW_CONCURRENCY = 4;
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Provider type `ollama`: a real Ollama server (default http://127.0.0.1:11434), or Ollama's cloud
 * with an API key. Chat goes to `/api/chat` (fill-in-the-middle and raw prompts to `/api/generate`;
 * NDJSON, also for whole answers: Ollama's non-streamed
 * answer is the same lines joined), discovery to `/api/tags` + `/api/show`, embeddings to `/api/embed`.
 */
export class OllamaAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'ollama';
  private readonly baseUrl: string;
  private readonly keys: ApiKeyPool;
  private readonly extraHeaders: Record<string, string>;
  private readonly httpClient: UpstreamHttpClient;
  /** Capabilities `/api/show` reported, by model name, for refusing images to a model without vision. */
  private readonly capabilities = new Map<string, string[]>();
  private readonly passThroughFields: ReadonlySet<string>;
  private readonly maxTokens: MaxTokensLimits;

  constructor(input: ProviderFactoryInput) {
    this.id = input.config.id;
    this.baseUrl = (input.config.base_url ?? (DEFAULT_BASE_URLS.ollama as string)).replace(/\/+$/, '');
    this.keys = new ApiKeyPool(apiKeysFromConfig(input.config));
    this.extraHeaders = input.config.headers ?? {};
    this.httpClient = input.httpClient;
    this.passThroughFields = new Set(input.config.pass_through_fields ?? []);
    this.maxTokens = { defaultMaxTokens: input.config.default_max_tokens, maxTokensCap: input.config.max_tokens_cap };
  }

  async streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    const capped: DegradedField[] = [];
    const limited = limitMaxTokens({ ...request, stream: true }, this.maxTokens, this.id, capped);
    const { path, body, degraded } = convertChatRequestToOllama(limited, this.id, this.passThroughFields);
    degraded.unshift(...capped);
    this.checkVision(request);
    if (degraded.length > 0) context.log.warn({ provider: this.id, model: request.model, degraded }, `request fields not sent to provider '${this.id}'`);
    const response = await this.send('POST', path, JSON.stringify(body), context);
    return this.events(response, degraded);
  }

  async completeChat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
    return collectChatResponse(await this.streamChat(request, context));
  }

  async listModels(context: CallContext): Promise<ProviderModel[]> {
    const tags = ollamaTagsSchema.safeParse(await this.readJson(await this.send('GET', '/api/tags', undefined, context), '/api/tags'));
    if (!tags.success) throw new GatewayError('upstream', `provider '${this.id}' answered /api/tags with something that is not Ollama's model list`);
    const listed: OllamaListedModel[] = (tags.data.models ?? []).map((model) => {
      const entry: OllamaListedModel = { name: model.name };
      if (model.details?.family !== undefined) entry.family = model.details.family;
      if (model.details?.parameter_size !== undefined) entry.parameterSize = model.details.parameter_size;
      if (model.details?.context_length !== undefined) entry.contextLength = model.details.context_length;
      if (model.modified_at !== undefined) entry.modifiedAt = model.modified_at;
      if (model.capabilities !== undefined && model.capabilities !== null) entry.capabilities = model.capabilities;
      return entry;
    });
    for (let start = 0; start < listed.length; start += SHOW_CONCURRENCY) {
      await Promise.all(listed.slice(start, start + SHOW_CONCURRENCY).map((entry) => this.show(entry, context)));
    }
    return listed.map(convertOllamaModel);
  }

  async embed(request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResponse> {
    const body: Record<string, unknown> = { model: request.model, input: request.input };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    const parsed = ollamaEmbedSchema.safeParse(await this.readJson(await this.send('POST', '/api/embed', JSON.stringify(body), context), '/api/embed'));
    if (!parsed.success || parsed.data.embeddings.length !== request.input.length) {
      throw new GatewayError('upstream', `provider '${this.id}' answered /api/embed without one vector per input`);
    }
    const result: EmbeddingResponse = { embeddings: parsed.data.embeddings };
    if (parsed.data.model !== undefined) result.model = parsed.data.model;
    if (parsed.data.prompt_eval_count !== undefined) result.usage = { input: { total: parsed.data.prompt_eval_count }, output: { total: 0 }, source: 'upstream' };
    return result;
  }

  async close(): Promise<void> {
    await this.httpClient.close();
  }

  /** Ollama's own refusal, given before the call: images to a model whose `/api/show` lacks vision. */
  private checkVision(request: ChatRequest): void {
    const known = this.capabilities.get(request.model) ?? this.capabilities.get(`${request.model}:latest`);
    if (known === undefined || known.includes('vision')) return;
    const hasImage = request.messages.some((message) => message.parts.some((part) => part.type === 'image'));
    if (hasImage) throw new GatewayError('invalid_request', `"${request.model}" does not support vision`, { code: 'model_capability', param: 'messages' });
  }

  private async show(entry: OllamaListedModel, context: CallContext): Promise<void> {
    try {
      const response = await this.send('POST', '/api/show', JSON.stringify({ model: entry.name }), context);
      const parsed = ollamaShowSchema.safeParse(await this.readJson(response, '/api/show'));
      if (!parsed.success) return;
      entry.show = parsed.data;
      if (parsed.data.capabilities !== undefined && parsed.data.capabilities !== null) this.capabilities.set(entry.name, parsed.data.capabilities);
    } catch (error) {
      // The model stays listed with what /api/tags said.
      context.log.debug({ provider: this.id, model: entry.name, err: error }, `provider '${this.id}': /api/show failed`);
    }
  }

  private events(response: UpstreamResponse, degraded: DegradedField[]): BatchedChatStream {
    return streamUpstreamBatches(response.body, new OllamaStreamDecoder(this.id, degraded), {
      isEnd: (event) => event.type === 'finish' || event.type === 'error',
      drainLimitBytes: DRAIN_LIMIT_BYTES,
    });
  }

  /** One upstream call with the next key; any status outside 2xx is thrown as a GatewayError. */
  private async send(method: 'GET' | 'POST', path: string, body: string | undefined, context: CallContext): Promise<UpstreamResponse> {
    const url = this.baseUrl + path;
    return this.keys.withKey(async (key) => {
      const headers: Record<string, string> = { accept: 'application/x-ndjson, application/json', 'user-agent': 'llmux' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (key !== undefined) headers.authorization = `Bearer ${key}`;
      Object.assign(headers, this.extraHeaders);
      const response = await this.httpClient.request(body === undefined ? { url, method, headers, signal: context.signal } : { url, method, headers, body, signal: context.signal });
      return checkUpstreamStatus(response, { url, providerId: this.id, parseError: (input) => mapOllamaError(input.status, input.text, this.id, retryAfterSeconds(input.headers)) });
    });
  }

  private async readJson(response: UpstreamResponse, path: string): Promise<unknown> {
    return readUpstreamJson(response, this.baseUrl + path);
  }
}

