import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { BatchedChatStream } from '../../canonical/chat-event-batches.ts';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import { ApiKeyPool, apiKeysFromConfig } from '../shared/api-key-pool.ts';
import { checkUpstreamStatus } from '../shared/check-upstream-status.ts';
import { readUpstreamJson } from '../shared/read-upstream-body.ts';
import { streamUpstreamBatches } from '../shared/stream-upstream-batches.ts';
import { headerValue, type UpstreamHttpClient, type UpstreamResponse } from '../shared/upstream-http-client.ts';
import { replayChatResponse } from '../replay-chat-response.ts';
import type { CallContext, ProviderAdapter, ProviderFactoryInput } from '../provider-adapter.ts';
import { anthropicMessageResponseSchema, anthropicModelPageSchema, anthropicTokenCountSchema } from './anthropic-response-schemas.ts';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.ts';
import { convertAnthropicMessage } from './convert-anthropic-message.ts';
import { convertChatRequestToAnthropic } from './convert-chat-request-to-anthropic.ts';
import { mapAnthropicError } from './map-anthropic-error.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The API version every current SDK sends (anthropic-sdk-typescript src/client.ts). */
export const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';
/** Fields `count_tokens` takes (MessageCountTokensParams); the rest of a messages body is refused there. */
const COUNT_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'output_config', 'mcp_servers', 'context_management'];
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const MODEL_PAGE_SIZE = 1000;
const MAX_MODEL_PAGES = 20;

/**
 * Provider type `anthropic`: the Anthropic Messages API, or any server that speaks it. Keys go in
 * `x-api-key` (balanced when several), `anthropic-version` is the config's or 2023-06-01, and
 * `anthropic-beta` joins the config's `betas` with the flags the client sent.
 */
export class AnthropicAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type: string;
  private readonly baseUrl: string;
  private readonly keys: ApiKeyPool;
  private readonly version: string;
  private readonly betas: readonly string[];
  private readonly extraHeaders: Record<string, string>;
  private readonly passThroughFields: ReadonlySet<string>;
  private readonly limits: { defaultMaxTokens?: number; maxTokensCap?: number } = {};
  private readonly httpClient: UpstreamHttpClient;

  constructor(input: ProviderFactoryInput) {
    const { config } = input;
    this.id = config.id;
    this.type = config.type;
    this.baseUrl = (config.base_url ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v1$/, '');
    this.keys = new ApiKeyPool(apiKeysFromConfig(config));
    this.version = config.anthropic_version ?? ANTHROPIC_DEFAULT_VERSION;
    this.betas = config.betas ?? [];
    this.extraHeaders = config.headers ?? {};
    this.passThroughFields = new Set(config.pass_through_fields ?? []);
    if (config.default_max_tokens !== undefined) this.limits.defaultMaxTokens = config.default_max_tokens;
    if (config.max_tokens_cap !== undefined) this.limits.maxTokensCap = config.max_tokens_cap;
    this.httpClient = input.httpClient;
  }

  async streamChat(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatStreamEvent>> {
    const { body, betas, degraded } = convertChatRequestToAnthropic({ ...request, stream: true }, { id: this.id, passThroughFields: this.passThroughFields, ...this.limits });
    const response = await this.send('POST', '/v1/messages', JSON.stringify(body), betas, context);
    if (!(headerValue(response.headers, 'content-type') ?? '').includes('text/event-stream')) {
      const answer = await this.readMessage(response);
      return replay(answer, degraded);
    }
    return this.streamEvents(response, degraded);
  }

  async completeChat(request: ChatRequest, context: CallContext): Promise<ChatResponse> {
    const { body, betas, degraded } = convertChatRequestToAnthropic({ ...request, stream: false }, { id: this.id, passThroughFields: this.passThroughFields, ...this.limits });
    const response = await this.send('POST', '/v1/messages', JSON.stringify(body), betas, context);
    const answer = await this.readMessage(response);
    if (degraded.length > 0) answer.degraded = degraded;
    return answer;
  }

  async countTokens(request: ChatRequest, context: CallContext): Promise<number> {
    const { body, betas } = convertChatRequestToAnthropic({ ...request, stream: false }, { id: this.id, passThroughFields: this.passThroughFields, ...this.limits });
    const countBody: Record<string, unknown> = {};
    for (const field of COUNT_FIELDS) if (body[field] !== undefined) countBody[field] = body[field];
    const response = await this.send('POST', '/v1/messages/count_tokens', JSON.stringify(countBody), betas, context);
    const parsed = anthropicTokenCountSchema.safeParse(await readUpstreamJson(response, this.baseUrl + '/v1/messages/count_tokens'));
    if (!parsed.success) throw new GatewayError('upstream', `provider '${this.id}' answered count_tokens without input_tokens`);
    return parsed.data.input_tokens;
  }

  /** `GET /v1/models`, every page (`after_id` = the last page's `last_id` while `has_more`). */
  async listModels(context: CallContext): Promise<ProviderModel[]> {
    const models: ProviderModel[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `?limit=${MODEL_PAGE_SIZE}` + (after === undefined ? '' : `&after_id=${encodeURIComponent(after)}`);
      const parsed = anthropicModelPageSchema.safeParse(await readUpstreamJson(await this.send('GET', `/v1/models${query}`, undefined, [], context), this.baseUrl + '/v1/models'));
      if (!parsed.success) throw new GatewayError('upstream', `provider '${this.id}' answered GET /v1/models with something other than a model list`);
      for (const info of parsed.data.data) {
        const model: ProviderModel = { id: info.id, ownedBy: 'anthropic' };
        const created = info.created_at === undefined || info.created_at === null ? Number.NaN : Date.parse(info.created_at);
        if (Number.isFinite(created)) model.created = Math.floor(created / 1000);
        if (typeof info.max_input_tokens === 'number') model.contextLength = info.max_input_tokens;
        if (typeof info.display_name === 'string') model.description = info.display_name;
        models.push(model);
      }
      const last = parsed.data.last_id ?? parsed.data.data.at(-1)?.id;
      if (parsed.data.has_more !== true || last === undefined || last === after) break;
      after = last;
    }
    return models;
  }

  async close(): Promise<void> {
    await this.httpClient.close();
  }

  /** One upstream call with the next key; a status outside 2xx is thrown as a GatewayError. */
  private send(method: 'GET' | 'POST', path: string, body: string | undefined, clientBetas: readonly string[], context: CallContext): Promise<UpstreamResponse> {
    const url = this.baseUrl + path;
    return this.keys.withKey(async (key) => {
      const headers: Record<string, string> = { accept: 'application/json', 'anthropic-version': this.version, 'user-agent': 'llmux' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (key !== undefined) headers['x-api-key'] = key;
      const betas = [...new Set([...this.betas, ...clientBetas])];
      if (betas.length > 0) headers['anthropic-beta'] = betas.join(',');
      Object.assign(headers, this.extraHeaders);
      const response = await this.httpClient.request(body === undefined ? { url, method, headers, signal: context.signal, wait: context.upstreamWait } : { url, method, headers, body, signal: context.signal, wait: context.upstreamWait });
      return checkUpstreamStatus(response, { url, providerId: this.id, parseError: (input) => mapAnthropicError({ ...input, providerId: this.id }) });
    });
  }

  private async readMessage(response: UpstreamResponse): Promise<ChatResponse> {
    const parsed = anthropicMessageResponseSchema.safeParse(await readUpstreamJson(response, this.baseUrl + '/v1/messages'));
    if (!parsed.success) throw new GatewayError('upstream', `provider '${this.id}' answered with something other than a message: ${parsed.error.issues[0]?.message ?? ''}`);
    return convertAnthropicMessage(parsed.data);
  }

  /** Decodes a stream body; the connection is drained after the last event, closed otherwise. */
  private streamEvents(response: UpstreamResponse, degraded: DegradedField[]): BatchedChatStream {
    return streamUpstreamBatches(response.body, new AnthropicStreamDecoder(degraded), {
      isEnd: (event) => event.type === 'finish' || event.type === 'error',
      drainLimitBytes: DRAIN_LIMIT_BYTES,
    });
  }
}

async function* replay(answer: ChatResponse, degraded: DegradedField[]): AsyncGenerator<ChatStreamEvent> {
  yield* replayChatResponse(degraded.length > 0 ? { ...answer, degraded } : answer);
}
