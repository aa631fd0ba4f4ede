import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { BatchedChatStream } from '../../canonical/chat-event-batches.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embedding.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import { collectChatResponse } from '../collect-chat-response.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput, SameProtocolHint } from '../provider-adapter.ts';
import { ApiKeyPool, apiKeysFromConfig } from '../shared/api-key-pool.ts';
import type { KeyHeadroom } from '../shared/key-headroom.ts';
import type { RestingKey } from '../shared/resting-key.ts';
import { checkUpstreamStatus, type UpstreamErrorParser } from '../shared/check-upstream-status.ts';
import { readUpstreamJson } from '../shared/read-upstream-body.ts';
import { streamUpstreamBatches } from '../shared/stream-upstream-batches.ts';
import { headerValue, type UpstreamHttpClient, type UpstreamResponse } from '../shared/upstream-http-client.ts';
import { convertChatRequestToOpenAICompatible } from './convert-chat-request-to-openai-compatible.ts';
import { convertOpenAICompatibleCompletion } from './convert-openai-compatible-completion.ts';
import { convertOpenAICompatibleEmbeddings } from './convert-openai-compatible-embeddings.ts';
import { convertOpenAICompatibleModels } from './convert-openai-compatible-models.ts';
import { mapOpenAICompatibleError, mapOpenAICompatibleStreamError } from './map-openai-compatible-error.ts';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import { OpenAICompatibleStreamDecoder } from './openai-compatible-stream-decoder.ts';
import type { OpenAICompatibleRequestBody } from './openai-compatible-request-body.ts';
import { removeRejectedFields } from './remove-rejected-fields.ts';
import { replayChatResponse } from '../replay-chat-response.ts';

/** How many times a request is sent again without fields the upstream refused. */
const FIELD_RETRIES = 2;
/** How much of a body left unread after `[DONE]` is drained so the connection can be reused. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Any upstream speaking OpenAI chat completions. What differs between upstreams is in the
 * dialect; this class only moves bytes: keys, headers, status handling, stream or JSON.
 */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type: string;
  /** Undefined when the dialect has no embeddings, so routing answers with a clear 400. */
  readonly embed: ((request: EmbeddingRequest, context: CallContext) => Promise<EmbeddingResponse>) | undefined;
  private readonly baseUrl: string;
  private readonly keys: ApiKeyPool;
  private readonly extraHeaders: Record<string, string>;
  private readonly httpClient: UpstreamHttpClient;
  private readonly dialect: OpenAICompatibleDialect;
  private readonly defaultMaxTokens: number | undefined;
  private readonly maxTokensCap: number | undefined;
  private readonly converting: { id: string; passThroughFields: ReadonlySet<string> };
  private readonly chatUrl: string;
  /** The request headers per key ('' = none), with and without a body: built once, not per request (undici only reads them). */
  private readonly headersWithBody = new Map<string, Readonly<Record<string, string>>>();
  private readonly headersWithoutBody = new Map<string, Readonly<Record<string, string>>>();

  constructor(input: ProviderFactoryInput, dialect: OpenAICompatibleDialect) {
    const { config } = input;
    this.id = config.id;
    this.type = config.type;
    const baseUrl = config.base_url ?? dialect.defaultBaseUrl;
    if (baseUrl === undefined) {
      throw new GatewayError('internal', `provider '${config.id}': base_url is required for type '${config.type}' (e.g. http://127.0.0.1:8000/v1)`);
    }
    this.baseUrl = dialect.normalizeBaseUrl(baseUrl);
    this.keys = new ApiKeyPool(apiKeysFromConfig(config), Date.now, config.id);
    this.extraHeaders = config.headers ?? {};
    this.httpClient = input.httpClient;
    this.dialect = dialect;
    this.maxTokensCap = config.max_tokens_cap;
    const defaultMaxTokens = config.default_max_tokens ?? dialect.defaultMaxTokens;
    this.defaultMaxTokens = defaultMaxTokens === undefined || this.maxTokensCap === undefined ? defaultMaxTokens : Math.min(defaultMaxTokens, this.maxTokensCap);
    this.converting = { id: config.id, passThroughFields: new Set(config.pass_through_fields ?? []) };
    this.chatUrl = this.url('/chat/completions');
    this.embed = dialect.embeddings ? (request, context) => this.embedTexts(request, context) : undefined;
  }

  restingKeys(): RestingKey[] {
    return this.keys.resting();
  }

  keyHeadroom(): KeyHeadroom[] {
    return this.keys.headroom();
  }

  async streamChat(request: ChatRequest, context: CallContext, hint?: SameProtocolHint): Promise<AsyncIterable<ChatStreamEvent>> {
    const url = this.chatUrl;
    const degraded: DegradedField[] = [];
    const response = await this.postChat(request.stream ? request : { ...request, stream: true }, context, hint, degraded);
    if (isJson(response)) return replayEvents(replayChatResponse({ ...this.completionFrom(await readUpstreamJson(response, url)), degraded }));
    return this.streamEvents(response, url, degraded);
  }

  async completeChat(request: ChatRequest, context: CallContext, hint?: SameProtocolHint): Promise<ChatResponse> {
    const url = this.chatUrl;
    const degraded: DegradedField[] = [];
    // The dispatcher already sends `stream: false`: no copy of the request then.
    const response = await this.postChat(request.stream ? { ...request, stream: false } : request, context, hint, degraded);
    const answer = isEventStream(response) ? await collectChatResponse(this.streamEvents(response, url, degraded)) : this.completionFrom(await readUpstreamJson(response, url));
    if (degraded.length > 0) answer.degraded = degraded;
    return answer;
  }

  async listModels(context: CallContext): Promise<ProviderModel[]> {
    const url = this.url('/models');
    const response = await this.send('GET', url, undefined, context);
    const models = convertOpenAICompatibleModels(await readUpstreamJson(response, url));
    const readDetails = this.dialect.readModelDetails;
    if (readDetails === undefined) return models;
    // One model's detail missing or failing leaves that model as listed.
    return Promise.all(
      models.map(async (model) => {
        const detailUrl = this.url(`/models/${encodeURIComponent(model.id)}`);
        try {
          return readDetails(await readUpstreamJson(await this.send('GET', detailUrl, undefined, context), detailUrl), model);
        } catch {
          return model;
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.httpClient.close();
  }

  private async embedTexts(request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResponse> {
    const url = this.url('/embeddings');
    const body: Record<string, unknown> = { model: request.model, input: request.input, encoding_format: 'float' };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    const response = await this.send('POST', url, JSON.stringify(body), context);
    return convertOpenAICompatibleEmbeddings(await readUpstreamJson(response, url), request.input.length);
  }

  /**
   * Sends a chat request. A 400/422 naming optional fields is sent again without them where the
   * dialect allows: Cerebras refuses some OpenAI fields per model
   * (https://inference-docs.cerebras.ai/resources/openai), naming them only in its message.
   * What was dropped or left out is added to `degraded`, by wire name. With a `hint` (the client's
   * own plain OpenAI messages, see SameProtocolHint) those are sent rather than converted back.
   */
  private async postChat(request: ChatRequest, context: CallContext, hint: SameProtocolHint | undefined, degraded: DegradedField[]): Promise<UpstreamResponse> {
    const converted = convertChatRequestToOpenAICompatible(this.limitMaxTokens(request, degraded), this.dialect, this.converting, hint);
    const body = converted.body;
    if (converted.degraded.length > 0) degraded.push(...converted.degraded);
    const url = this.chatUrl;
    for (let attempt = 0; ; attempt++) {
      try {
        const text = JSON.stringify(body);
        return await this.send('POST', url, text, context, reservedTokens(body, text));
      } catch (error) {
        const refused = attempt < FIELD_RETRIES && this.dialect.retryWithoutRejectedParam && isFieldRefusal(error);
        // The client's own message objects are never changed: removal works on copies.
        if (refused && hint !== undefined && attempt === 0) body.messages = body.messages.map((message) => ({ ...message }));
        const removed = refused ? removeRejectedFields(body, this.dialect.rejectedFieldPaths(error)) : [];
        if (removed.length === 0) throw error;
        const fields = removed.map((field) => `'${field}'`).join(', ');
        context.log.warn({ provider: this.id, model: request.model, fields: removed }, `provider '${this.id}' refused ${fields}; sending the request again without it`);
        for (const field of removed) degraded.push({ field, reason: `provider '${this.id}' refused it for this model` });
      }
    }
  }

  /**
   * The output limit sent: the client's, else the provider's default (`default_max_tokens`;
   * Cerebras 8192), never above `max_tokens_cap` — a client limit cut down is declared.
   */
  private limitMaxTokens(request: ChatRequest, degraded: DegradedField[]): ChatRequest {
    if (request.maxTokens === undefined) return this.defaultMaxTokens === undefined ? request : { ...request, maxTokens: this.defaultMaxTokens };
    if (this.maxTokensCap === undefined || request.maxTokens <= this.maxTokensCap) return request;
    degraded.push({ field: 'max_tokens', reason: `${request.maxTokens} capped at ${this.maxTokensCap} by provider '${this.id}' (max_tokens_cap)` });
    return { ...request, maxTokens: this.maxTokensCap };
  }

  /**
   * One upstream call with the next key (one with `cost` tokens of budget left, where the upstream
   * reports budgets: Cerebras's `x-ratelimit-*` headers, read on every answer, errors included);
   * any status outside 2xx is thrown as a GatewayError.
   */
  private async send(method: 'GET' | 'POST', url: string, body: string | undefined, context: CallContext, cost = 0): Promise<UpstreamResponse> {
    // ApiKeyPool.withKey's work, inline: one async step per call rather than two and a closure.
    const key = this.keys.next(cost);
    try {
      const headers = this.headersFor(key, body !== undefined);
      const response = await this.httpClient.request(body === undefined ? { url, method, headers, signal: context.signal, wait: context.upstreamWait } : { url, method, headers, body, signal: context.signal, wait: context.upstreamWait });
      const budget = this.dialect.readKeyBudget(response.headers, Date.now());
      if (budget !== undefined) {
        this.keys.noteBudget(key, budget);
        context.log.debug({ provider: this.id, key: this.keys.label(key), tokensLeftThisMinute: budget.tokensLeft, requestsLeftToday: budget.requestsLeft }, 'upstream rate-limit budget');
      }
      // A 2xx passes on without a step through checkUpstreamStatus (a promise and an object per call).
      if (response.status >= 200 && response.status < 300) return response;
      return await checkUpstreamStatus(response, { url, providerId: this.id, parseError: this.parseError });
    } catch (error) {
      throw error instanceof GatewayError ? this.keys.reportFailure(key, error) : error;
    }
  }

  private readonly parseError: UpstreamErrorParser = (input) => this.dialect.parseErrorBody(input) ?? mapOpenAICompatibleError(input);

  /** The headers of a call with `key`: built on its first use, then shared. */
  private headersFor(key: string | undefined, withBody: boolean): Readonly<Record<string, string>> {
    const cache = withBody ? this.headersWithBody : this.headersWithoutBody;
    const cached = cache.get(key ?? '');
    if (cached !== undefined) return cached;
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream', 'user-agent': 'llmux' };
    if (withBody) headers['content-type'] = 'application/json';
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    Object.assign(headers, this.extraHeaders);
    cache.set(key ?? '', headers);
    return headers;
  }

  /** A parsed non-stream body → the answer; an `error` object in a 200 is the upstream's error. */
  private completionFrom(payload: unknown): ChatResponse {
    if (typeof payload === 'object' && payload !== null && 'error' in payload && payload.error != null) throw mapOpenAICompatibleStreamError(payload);
    return convertOpenAICompatibleCompletion(payload, this.dialect);
  }

  /** Decodes a stream body chunk by chunk; the connection is drained after `finish`, closed otherwise. */
  private streamEvents(response: UpstreamResponse, url: string, degraded: DegradedField[]): BatchedChatStream {
    return streamUpstreamBatches(response.body, new OpenAICompatibleStreamDecoder(this.dialect, url, degraded), {
      isEnd: (event) => event.type === 'finish',
      drainLimitBytes: DRAIN_LIMIT_BYTES,
    });
  }

  private url(path: string): string {
    return this.baseUrl + path;
  }
}

function isJson(response: UpstreamResponse): boolean {
  return (headerValue(response.headers, 'content-type') ?? '').includes('json');
}

function isEventStream(response: UpstreamResponse): boolean {
  return (headerValue(response.headers, 'content-type') ?? '').includes('text/event-stream');
}

async function* replayEvents(events: ChatStreamEvent[]): AsyncGenerator<ChatStreamEvent> {
  yield* events;
}

/** What the upstream will reserve against the key's budget: the output limit plus the prompt (4 characters a token). */
function reservedTokens(body: OpenAICompatibleRequestBody, text: string): number {
  const output = body.max_completion_tokens ?? body.max_tokens ?? 0;
  return output + Math.ceil(text.length / 4);
}

/** A 400, or a 422 (Cerebras answers `body.store: property 'body.store' is unsupported` with either). */
function isFieldRefusal(error: unknown): error is GatewayError {
  return error instanceof GatewayError && (error.upstreamStatus === 400 || error.upstreamStatus === 422);
}
