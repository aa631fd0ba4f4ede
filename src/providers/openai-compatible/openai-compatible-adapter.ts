import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../../canonical/embedding.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import { collectChatResponse } from '../collect-chat-response.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput } from '../provider-adapter.ts';
import { ApiKeyPool, apiKeysFromConfig } from '../shared/api-key-pool.ts';
import { checkUpstreamStatus } from '../shared/check-upstream-status.ts';
import { readUpstreamJson } from '../shared/read-upstream-body.ts';
import { streamUpstreamEvents } from '../shared/stream-upstream-events.ts';
import { headerValue, type UpstreamHttpClient, type UpstreamResponse } from '../shared/upstream-http-client.ts';
import { convertChatRequestToOpenAICompatible } from './convert-chat-request-to-openai-compatible.ts';
import { convertOpenAICompatibleCompletion } from './convert-openai-compatible-completion.ts';
import { convertOpenAICompatibleEmbeddings } from './convert-openai-compatible-embeddings.ts';
import { convertOpenAICompatibleModels } from './convert-openai-compatible-models.ts';
import { mapOpenAICompatibleError, mapOpenAICompatibleStreamError } from './map-openai-compatible-error.ts';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import type { OpenAICompatibleRequestBody } from './openai-compatible-request-body.ts';
import { decodeOpenAICompatibleStream } from './openai-compatible-stream-decoder.ts';
import { replayChatResponse } from '../replay-chat-response.ts';

/** Body fields that are never retried away: without them the request means something else. */
const ESSENTIAL_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options', 'tools', 'tool_choice', 'response_format']);
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
  private readonly passThroughFields: ReadonlySet<string>;

  constructor(input: ProviderFactoryInput, dialect: OpenAICompatibleDialect) {
    const { config } = input;
    this.id = config.id;
    this.type = config.type;
    const baseUrl = config.base_url ?? dialect.defaultBaseUrl;
    if (baseUrl === undefined) {
      throw new GatewayError('internal', `provider '${config.id}': base_url is required for type '${config.type}' (e.g. http://127.0.0.1:8000/v1)`);
    }
    this.baseUrl = dialect.normalizeBaseUrl(baseUrl);
    this.keys = new ApiKeyPool(apiKeysFromConfig(config));
    this.extraHeaders = config.headers ?? {};
    this.httpClient = input.httpClient;
    this.dialect = dialect;
    this.passThroughFields = new Set(config.pass_through_fields ?? []);
    this.embed = dialect.embeddings ? (request, context) => this.embedTexts(request, context) : undefined;
  }

  async streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    const url = this.url('/chat/completions');
    const { response, degraded } = await this.postChat({ ...request, stream: true }, context);
    if (isJson(response)) return replayEvents(replayChatResponse({ ...(await this.readCompletion(response, url)), degraded }));
    return this.streamEvents(response, url, degraded);
  }

  async completeChat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
    const url = this.url('/chat/completions');
    const { response, degraded } = await this.postChat({ ...request, stream: false }, context);
    const answer = isEventStream(response) ? await collectChatResponse(this.streamEvents(response, url, degraded)) : await this.readCompletion(response, url);
    if (degraded.length > 0) answer.degraded = degraded;
    return answer;
  }

  async listModels(context: CallContext): Promise<ProviderModel[]> {
    const url = this.url('/models');
    const response = await this.send('GET', url, undefined, context);
    return convertOpenAICompatibleModels(await readUpstreamJson(response, url));
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
   * Sends a chat request. A 400 naming an optional field in `param` is sent once more without
   * it where the dialect allows: Cerebras refuses some OpenAI fields per model
   * (https://inference-docs.cerebras.ai/resources/openai).
   */
  private async postChat(request: ChatRequest, context: CallContext): Promise<{ response: UpstreamResponse; degraded: DegradedField[] }> {
    const { body, degraded } = convertChatRequestToOpenAICompatible(request, this.dialect, { id: this.id, passThroughFields: this.passThroughFields });
    const url = this.url('/chat/completions');
    for (let attempt = 0; ; attempt++) {
      try {
        return { response: await this.send('POST', url, JSON.stringify(body), context), degraded };
      } catch (error) {
        const field = attempt === 0 && this.dialect.retryWithoutRejectedParam ? rejectedField(error, body) : undefined;
        if (field === undefined) throw error;
        context.log.warn({ provider: this.id, model: request.model, field }, `provider '${this.id}' refused '${field}'; sending the request again without it`);
        degraded.push({ field, reason: `provider '${this.id}' refused it for this model` });
        delete body[field];
      }
    }
  }

  /** One upstream call with the next key; any status outside 2xx is thrown as a GatewayError. */
  private send(method: 'GET' | 'POST', url: string, body: string | undefined, context: CallContext): Promise<UpstreamResponse> {
    return this.keys.withKey(async (key) => {
      const headers: Record<string, string> = { accept: 'application/json, text/event-stream', 'user-agent': 'llmux' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (key !== undefined) headers.authorization = `Bearer ${key}`;
      Object.assign(headers, this.extraHeaders);
      const response = await this.httpClient.request(body === undefined ? { url, method, headers, signal: context.signal } : { url, method, headers, body, signal: context.signal });
      return checkUpstreamStatus(response, {
        url,
        providerId: this.id,
        parseError: (input) => this.dialect.parseErrorBody(input) ?? mapOpenAICompatibleError(input),
      });
    });
  }

  private async readCompletion(response: UpstreamResponse, url: string): Promise<ChatResponse> {
    const payload = await readUpstreamJson(response, url);
    if (typeof payload === 'object' && payload !== null && 'error' in payload && payload.error != null) throw mapOpenAICompatibleStreamError(payload);
    return convertOpenAICompatibleCompletion(payload, this.dialect);
  }

  /** Decodes a stream body; the connection is drained after `finish`, closed otherwise. */
  private streamEvents(response: UpstreamResponse, url: string, degraded: DegradedField[]): AsyncGenerator<ChatStreamEvent> {
    return streamUpstreamEvents(response.body, (chunks) => decodeOpenAICompatibleStream(chunks, this.dialect, url, degraded), {
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

/** The body field a 400 blames, when it is one llmux may leave out. */
function rejectedField(error: unknown, body: OpenAICompatibleRequestBody): string | undefined {
  if (!(error instanceof GatewayError) || error.upstreamStatus !== 400 || error.param === undefined) return undefined;
  const field = error.param.replace(/^body\./, '').split(/[.[]/)[0] ?? '';
  if (field === '' || ESSENTIAL_FIELDS.has(field) || !(field in body)) return undefined;
  return field;
}
