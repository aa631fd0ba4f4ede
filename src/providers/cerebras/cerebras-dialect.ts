import type { ReasoningEffort } from '../../canonical/reasoning-options.ts';
import type { OpenAICompatibleDialect } from '../openai-compatible/openai-compatible-dialect.ts';
import { fitCerebrasReasoningEffort } from './cerebras-reasoning-efforts.ts';
import { cerebrasRejectedFieldPaths } from './cerebras-rejected-field-paths.ts';
import { mapCerebrasTimeInfo } from './map-cerebras-time-info.ts';
import { readCerebrasModelDetails } from './read-cerebras-model-details.ts';
import { readCerebrasRateLimits } from './read-cerebras-rate-limits.ts';

export const CEREBRAS_DEFAULT_BASE_URL = 'https://api.cerebras.ai/v1';
export const CEREBRAS_DEFAULT_MAX_TOKENS = 8192;

/** Cerebras takes `none|low|medium|high` (SDK `reasoning_effort`); the rest map to the nearest. */
const CEREBRAS_EFFORT: Record<ReasoningEffort, string> = {
  none: 'none',
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  max: 'high',
};

const SERVICE_TIERS = new Set(['auto', 'default', 'flex', 'priority']);
const REASONING_FORMATS = new Set(['none', 'parsed', 'text_parsed', 'raw', 'hidden']);

/**
 * Client extras Cerebras knows (SDK 1.91 `ChatCompletionCreateParams`, which has `prediction`:
 * predicted outputs `{type: 'content', content}`). Anything else — OpenAI's `store`, `metadata`,
 * `modalities`, `audio`, `verbosity`, `n` — is
 * dropped with a warning rather than sent: Cerebras does not implement them and may refuse the
 * request (https://inference-docs.cerebras.ai/resources/openai).
 */
const EXTRA_FIELDS: Record<string, (value: unknown) => boolean> = {
  reasoning_format: (value) => typeof value === 'string' && REASONING_FORMATS.has(value),
  disable_reasoning: (value) => typeof value === 'boolean',
  clear_thinking: (value) => typeof value === 'boolean',
  min_completion_tokens: (value) => typeof value === 'number',
  max_completion_tokens: (value) => typeof value === 'number',
  prompt_cache_key: (value) => typeof value === 'string',
  service_tier: (value) => typeof value === 'string' && SERVICE_TIERS.has(value),
  model_parameters: (value) => typeof value === 'object' && value !== null,
  prediction: (value) => typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'content',
};

/**
 * https://api.cerebras.ai as an OpenAI-compatible dialect (https://inference-docs.cerebras.ai,
 * github:Cerebras/cerebras-cloud-sdk-node). Error bodies are top-level `{message,type,param,code}`,
 * which the shared error mapping reads; there are no embeddings.
 */
export const CEREBRAS_DIALECT: Partial<OpenAICompatibleDialect> = {
  defaultBaseUrl: CEREBRAS_DEFAULT_BASE_URL,
  // The SDK's CEREBRAS_BASE_URL is the bare origin (`https://api.cerebras.ai`); paths live under /v1.
  normalizeBaseUrl: (url) => {
    const trimmed = url.replace(/\/+$/, '');
    return new URL(trimmed).pathname.length <= 1 ? trimmed + '/v1' : trimmed;
  },
  // `max_tokens` is deprecated there.
  maxTokensField: 'max_completion_tokens',
  // Assistant messages take earlier reasoning back in `reasoning` (SDK AssistantMessageRequest).
  historyReasoningField: 'reasoning',
  fileParts: false,
  extendedSampling: false,
  reasoningEffort: (effort) => CEREBRAS_EFFORT[effort],
  acceptExtraField: (field, value) => EXTRA_FIELDS[field]?.(value) ?? false,
  // Accepted efforts differ per model family (gpt-oss refuses `none`): fitted per model, declared.
  transformRequestBody: (body, _request, degraded) => {
    fitCerebrasReasoningEffort(body, degraded);
    return body;
  },
  // Qwen3 answers in the `raw` reasoning format by default: `<think>…</think>` leads the content.
  splitThinkTags: true,
  decodeExtra: (chunk) => {
    const timing = mapCerebrasTimeInfo(chunk.time_info);
    return timing === undefined ? undefined : { timing };
  },
  // Support for penalties, logit_bias, parallel_tool_calls… varies per model; a 400 naming one is retried without it.
  retryWithoutRejectedParam: true,
  rejectedFieldPaths: cerebrasRejectedFieldPaths,
  readKeyBudget: readCerebrasRateLimits,
  // Cerebras reserves max_completion_tokens — or the model's whole maximum when none is sent —
  // against the key's tokens per minute before generating (inference-docs support/rate-limits);
  // its own integrations default to 8192 (Cerebras/vscode-cerebras-chat v0.1.18).
  defaultMaxTokens: CEREBRAS_DEFAULT_MAX_TOKENS,
  // Context length, capabilities, prices and deprecation come from each model's own entry.
  readModelDetails: readCerebrasModelDetails,
  embeddings: false,
};
