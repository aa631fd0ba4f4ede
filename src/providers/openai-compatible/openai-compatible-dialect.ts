import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderModel } from '../../canonical/model-info.ts';
import type { ReasoningEffort } from '../../canonical/reasoning-options.ts';
import type { Timing } from '../../canonical/timing.ts';
import type { Usage } from '../../canonical/usage.ts';
import type { UpstreamErrorInput } from '../shared/check-upstream-status.ts';
import type { UpstreamResponse } from '../shared/upstream-http-client.ts';
import type { KeyBudget } from '../shared/api-key-pool.ts';
import type { OpenAICompatibleRequestBody } from './openai-compatible-request-body.ts';

/** What a dialect reads from a chunk's (or a whole response's) own fields beyond OpenAI's. */
export interface OpenAICompatibleExtras {
  timing?: Timing;
  usage?: Usage;
}

/**
 * How one upstream differs from plain OpenAI chat completions. The generic `openai-compatible`
 * provider uses the defaults; presets (Cerebras, Poe's OpenAI mode) override what they need.
 */
export interface OpenAICompatibleDialect {
  /** Used when the config gives no `base_url`; undefined makes `base_url` required. */
  defaultBaseUrl: string | undefined;
  /** Turns a configured `base_url` into the one paths are appended to (no trailing slash). */
  normalizeBaseUrl(url: string): string;
  /** How `developer` messages are sent: kept, or as `system` for upstreams that reject the role. */
  developerRole: 'developer' | 'system';
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Where reasoning from earlier assistant turns goes; undefined drops it, as OpenAI's own API does. */
  historyReasoningField: 'reasoning' | 'reasoning_content' | undefined;
  /** Whether `{type:'file'}` content parts (PDFs as data URLs) are accepted. */
  fileParts: boolean;
  /** Whether `top_k`, `min_p`, `repetition_penalty` are accepted (vLLM, llama.cpp, LM Studio do; OpenAI does not). */
  extendedSampling: boolean;
  /** The upstream's `reasoning_effort` value for a canonical effort; undefined drops it with a warning. */
  reasoningEffort(effort: ReasoningEffort): string | undefined;
  /** Whether a client field with no canonical home (`ChatRequest.unmappedFields`) is one this upstream knows. */
  acceptExtraField(field: string, value: unknown): boolean;
  /** Why a client field the upstream does not know was not sent (in `x-llmux-degraded` and the log). */
  unknownFieldReason: string;
  /** Last look at the body before it is sent; what it drops belongs in `degraded`. */
  transformRequestBody(body: OpenAICompatibleRequestBody, request: ChatRequest, degraded: DegradedField[]): OpenAICompatibleRequestBody;
  /** Whether `<think>…</think>` at the start of content is reasoning (Qwen/GLM raw reasoning format). */
  splitThinkTags: boolean;
  /** Reads dialect-specific fields of a stream chunk or a non-stream body. */
  decodeExtra(chunk: Record<string, unknown>): OpenAICompatibleExtras | undefined;
  /** A dialect's own error parsing; undefined falls back to the generic OpenAI/top-level parsing. */
  parseErrorBody(input: UpstreamErrorInput): GatewayError | undefined;
  /** On a 400/422 naming optional body fields, send once more without them (logged, declared). */
  retryWithoutRejectedParam: boolean;
  /**
   * The body paths a refusal names: by default its `param`; Cerebras names them only in the
   * message (`messages.2.assistant.reasoning_content: property '…' is unsupported`).
   */
  rejectedFieldPaths(error: GatewayError): string[];
  /** Whether `POST /embeddings` exists. */
  embeddings: boolean;
  /** What an answer's headers say is left of the key's budget (Cerebras `x-ratelimit-*`). */
  readKeyBudget(headers: UpstreamResponse['headers'], now: number): KeyBudget | undefined;
  /**
   * The output limit sent when the client sets none (config `default_max_tokens` overrides):
   * Cerebras reserves the model's whole maximum against the key's per-minute budget otherwise.
   */
  defaultMaxTokens: number | undefined;
  /**
   * Where a model's own detail lives (`GET /models/{id}`) and what it adds to the listed model;
   * undefined when the list says all there is.
   */
  readModelDetails: ((payload: unknown, model: ProviderModel) => ProviderModel) | undefined;
}

const OPENAI_EFFORT: Record<ReasoningEffort, string> = {
  none: 'none',
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  max: 'high',
};

/**
 * Chat-completions fields OpenAI defines that have no canonical home
 * (https://platform.openai.com/docs/api-reference/chat/create): an OpenAI-compatible upstream is
 * sent these when a client gives them; anything else only through the provider's
 * `pass_through_fields`.
 */
const OPENAI_CHAT_FIELDS = new Set([
  'service_tier',
  'store',
  'metadata',
  'prediction',
  'modalities',
  'audio',
  'web_search_options',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'verbosity',
]);

export const DEFAULT_OPENAI_COMPATIBLE_DIALECT: OpenAICompatibleDialect = {
  defaultBaseUrl: undefined,
  normalizeBaseUrl: (url) => url.replace(/\/+$/, ''),
  developerRole: 'developer',
  maxTokensField: 'max_tokens',
  historyReasoningField: undefined,
  fileParts: true,
  extendedSampling: false,
  reasoningEffort: (effort) => OPENAI_EFFORT[effort],
  acceptExtraField: (field) => OPENAI_CHAT_FIELDS.has(field),
  unknownFieldReason: "this upstream does not take it (list it in the provider's pass_through_fields to send it)",
  transformRequestBody: (body) => body,
  splitThinkTags: false,
  decodeExtra: () => undefined,
  parseErrorBody: () => undefined,
  retryWithoutRejectedParam: false,
  rejectedFieldPaths: (error) => (error.param === undefined ? [] : [error.param]),
  embeddings: true,
  readKeyBudget: () => undefined,
  defaultMaxTokens: undefined,
  readModelDetails: undefined,
};

export function resolveOpenAICompatibleDialect(overrides: Partial<OpenAICompatibleDialect>): OpenAICompatibleDialect {
  return { ...DEFAULT_OPENAI_COMPATIBLE_DIALECT, ...overrides };
}
