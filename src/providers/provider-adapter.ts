import type { FastifyBaseLogger } from 'fastify';
import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatResponse } from '../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import type { EmbeddingRequest, EmbeddingResponse } from '../canonical/embedding.ts';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../canonical/image-generation.ts';
import type { ProviderModel } from '../canonical/model-info.ts';
import type { ProviderConfig } from '../config/gateway-config-schema.ts';
import type { KeyHeadroom } from './shared/key-headroom.ts';
import type { RestingKey } from './shared/resting-key.ts';
import type { UpstreamHttpClient } from './shared/upstream-http-client.ts';
import type { UpstreamWait } from '../providers/shared/upstream-wait.ts';

/** What every upstream call gets: the client's abort signal and where to log. */
export interface CallContext {
  signal: AbortSignal;
  requestId: string;
  log: FastifyBaseLogger;
  /** Where the HTTP client adds the time spent waiting on the upstream (pass it on as the request's `wait`). */
  upstreamWait?: UpstreamWait;
}

/** One turn of plain text in OpenAI chat-completions wire form. */
export interface OpenAIPlainMessage {
  readonly role: 'system' | 'developer' | 'user' | 'assistant';
  readonly content: string;
  readonly name?: string;
}

/**
 * What a client sent in a provider's own wire form, beside the canonical request it equals (the
 * same-protocol fast path): the client's OpenAI chat messages when every turn is plain text (role,
 * string content, optional name), so exactly what the canonical messages hold. A provider speaking
 * that form may send them as they are instead of converting the canonical messages back; every
 * other field still goes through the canonical request. Providers that do not speak it ignore it.
 * Read-only: it is the client's parsed body.
 */
export interface SameProtocolHint {
  openAIMessages: readonly OpenAIPlainMessage[];
}

/**
 * One configured upstream. Errors before any output are thrown as GatewayError (so routing can
 * retry or fall back); once `streamChat` has returned, failures arrive in-band as an `error`
 * event, and every stream ends with exactly one `finish` or `error` event.
 */
export interface ProviderAdapter {
  readonly id: string;
  readonly type: string;
  streamChat(request: ChatRequest, context: CallContext, hint?: SameProtocolHint): Promise<AsyncIterable<ChatStreamEvent>>;
  completeChat(request: ChatRequest, context: CallContext, hint?: SameProtocolHint): Promise<ChatResponse>;
  /** The prompt's input tokens as the upstream counts them (Anthropic `count_tokens`), where it can. */
  countTokens?(request: ChatRequest, context: CallContext): Promise<number>;
  /** The upstream's own model list (`GET /models` or equivalent). */
  listModels(context: CallContext): Promise<ProviderModel[]>;
  /**
   * A cheap call that needs the key, for `llmux check`, where listing models does not prove the
   * key (an upstream that lists without one). Throws the upstream's refusal as a GatewayError.
   */
  verifyKey?(context: CallContext): Promise<void>;
  embed?(request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResponse>;
  generateImages?(request: ImageGenerationRequest, context: CallContext): Promise<ImageGenerationResponse>;
  /** The provider's keys resting after a refusal or rate limit (for health views). */
  restingKeys?(): RestingKey[];
  /** What each key has left before its rate limit, where the upstream reports it. */
  keyHeadroom?(): KeyHeadroom[];
  close(): Promise<void>;
}

export interface ProviderFactoryInput {
  config: ProviderConfig;
  /** The HTTP client for this provider, already set up with its proxy and timeouts. */
  httpClient: UpstreamHttpClient;
  log: FastifyBaseLogger;
}

export type ProviderFactory = (input: ProviderFactoryInput) => ProviderAdapter;
