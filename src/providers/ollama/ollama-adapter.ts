import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embedding.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import { DEFAULT_BASE_URLS } from '../../config/default-base-url.ts';
import { headerValue, mapTransportError, type UpstreamHttpClient, type UpstreamResponse } from '../../wire/upstream-http-client.ts';
import { ApiKeyPool, apiKeysFromConfig } from '../api-key-pool.ts';
import { collectChatResponse } from '../collect-chat-response.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput } from '../provider-adapter.ts';
import { convertChatRequestToOllama } from './convert-chat-request-to-ollama.ts';
import { convertOllamaModel, type OllamaListedModel } from './convert-ollama-models.ts';
import { mapOllamaError } from './map-ollama-error.ts';
import { ollamaEmbedSchema, ollamaShowSchema, ollamaTagsSchema } from './ollama-response-schemas.ts';
import { decodeOllamaStream } from './ollama-stream-decoder.ts';

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

  constructor(input: ProviderFactoryInput) {
    this.id = input.config.id;
    this.baseUrl = (input.config.base_url ?? (DEFAULT_BASE_URLS.ollama as string)).replace(/\/+$/, '');
    this.keys = new ApiKeyPool(apiKeysFromConfig(input.config));
    this.extraHeaders = input.config.headers ?? {};
    this.httpClient = input.httpClient;
    this.passThroughFields = new Set(input.config.pass_through_fields ?? []);
  }

  async streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    const { path, body, degraded } = convertChatRequestToOllama({ ...request, stream: true }, this.id, this.passThroughFields);
    this.checkVision(request);
    if (degraded.length > 0) context.log.warn({ provider: this.id, model: request.model, degraded }, `request fields not sent to provider '${this.id}'`);
    const response = await this.send('POST', path, JSON.stringify(body), context);
    return this.events(response, degraded, this.baseUrl + path, context.signal);
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

  private async *events(response: UpstreamResponse, degraded: Parameters<typeof decodeOllamaStream>[2], url: string, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    let finished = false;
    try {
      for await (const event of decodeOllamaStream(transportMapped(response, url, signal), this.id, degraded)) {
        if (event.type === 'finish' || event.type === 'error') finished = true;
        yield event;
      }
    } finally {
      if (finished) void response.body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => undefined);
      else {
        response.body.on('error', () => undefined);
        response.body.destroy();
      }
    }
  }

  private async send(method: 'GET' | 'POST', path: string, body: string | undefined, context: CallContext): Promise<UpstreamResponse> {
    const url = this.baseUrl + path;
    const key = this.keys.next();
    const headers: Record<string, string> = { accept: 'application/x-ndjson, application/json', 'user-agent': 'llmux' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    Object.assign(headers, this.extraHeaders);
    const response = await this.httpClient.request(body === undefined ? { url, method, headers, signal: context.signal } : { url, method, headers, body, signal: context.signal });
    if (response.status >= 200 && response.status < 300) return response;
    const text = await this.readText(response, url);
    throw this.keys.reportFailure(key, mapOllamaError(response.status, text, this.id, headerValue(response.headers, 'retry-after')));
  }

  private async readText(response: UpstreamResponse, url: string): Promise<string> {
    try {
      return await response.body.text();
    } catch (error) {
      throw mapTransportError(error, url);
    }
  }

  private async readJson(response: UpstreamResponse, path: string): Promise<unknown> {
    const text = await this.readText(response, this.baseUrl + path);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GatewayError('upstream', `provider '${this.id}' answered ${path} with a body that is not JSON: ${text.slice(0, 200)}`, { upstreamStatus: response.status });
    }
  }
}

/** The body's bytes; a failure while reading (client gone, connection cut, idle timeout) as a GatewayError. */
async function* transportMapped(response: UpstreamResponse, url: string, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of response.body.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array;
  } catch (error) {
    throw mapTransportError(error, url, { signal });
  }
}
