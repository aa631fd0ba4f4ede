/**
 * How the loopback Cerebras judges a chat request before answering, as the real service does:
 * - the body is validated strictly (github:Cerebras/cerebras-cloud-sdk-node 1.91
 *   src/resources/chat/completions.ts `ChatCompletionCreateParams` and its message types); every
 *   property it does not know is refused in one 400 that names the paths only in `message`, with
 *   `param: "validation_error"`, `code: "wrong_api_format"` (seen in
 *   Alishahryar1/free-claude-code#1136, egoist/chatwise-releases#1442, Gitlawb/openclaude#740);
 * - parameters a model does not support, and `reasoning_effort` values it does not take, are
 *   refused the same way;
 * - tokens per minute are reserved up front: `max_completion_tokens`, or the model's whole maximum
 *   when none is sent (https://inference-docs.cerebras.ai/support/rate-limits), and every answer
 *   carries the `x-ratelimit-*` headers.
 */

export interface FakeCerebrasModel {
  id: string;
  contextLength: number;
  maxCompletionTokens: number;
  /** `reasoning_effort` values the model takes; undefined: it takes none (no reasoning). */
  reasoningEfforts?: string[];
  /** Top-level parameters the model refuses. */
  refused?: string[];
  deprecated?: boolean;
  /** USD per token, as strings (PublicModel.pricing). */
  pricing?: { prompt: string; completion: string };
  capabilities?: Record<string, boolean>;
}

export const FAKE_CEREBRAS_MODELS: FakeCerebrasModel[] = [
  {
    id: 'gpt-oss-120b',
    contextLength: 131072,
    maxCompletionTokens: 65536,
    // gpt-oss takes low/medium/high; `none` is refused (the reasoning docs; third-party capability tables).
    reasoningEfforts: ['low', 'medium', 'high'],
    pricing: { prompt: '0.00000025', completion: '0.00000069' },
    capabilities: { function_calling: true, reasoning: true, streaming: true, structured_outputs: true, vision: false },
  },
  // Penalties, logit_bias and parallel_tool_calls are refused by some models (req_llm's Cerebras notes).
  { id: 'llama3.1-8b', contextLength: 32768, maxCompletionTokens: 8192, refused: ['reasoning_effort', 'logit_bias', 'parallel_tool_calls'], deprecated: true, capabilities: { function_calling: true, streaming: true } },
  { id: 'qwen-3-235b-a22b-instruct-2507', contextLength: 131072, maxCompletionTokens: 40960, refused: ['reasoning_effort'], deprecated: true, capabilities: { function_calling: true } },
  {
    id: 'gemma-4-31b',
    contextLength: 65536,
    maxCompletionTokens: 16384,
    pricing: { prompt: '0.0000004', completion: '0.0000008' },
    capabilities: { function_calling: true, reasoning: false, streaming: true, structured_outputs: true, vision: true },
  },
];

const TOP_LEVEL = new Set([
  'messages', 'model', 'clear_thinking', 'disable_reasoning', 'frequency_penalty', 'logit_bias', 'logprobs', 'max_completion_tokens', 'max_tokens',
  'min_completion_tokens', 'min_tokens', 'model_parameters', 'n', 'parallel_tool_calls', 'prediction', 'presence_penalty', 'prompt_cache_key',
  'reasoning_effort', 'reasoning_format', 'response_format', 'seed', 'service_tier', 'stop', 'stream', 'stream_options', 'temperature',
  'tool_choice', 'tools', 'top_logprobs', 'top_p', 'user',
]);

const MESSAGE_FIELDS: Record<string, Set<string>> = {
  system: new Set(['role', 'content', 'name']),
  developer: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set(['role', 'content', 'name', 'reasoning', 'tool_calls']),
  tool: new Set(['role', 'content', 'name', 'tool_call_id']),
};

/** The refusal body for the given paths, one line each, as Cerebras words it. */
export function unsupportedBody(paths: readonly string[]): Record<string, unknown> {
  return {
    message: paths.map((path) => `${path}: property '${path}' is unsupported`).join('\n'),
    type: 'invalid_request_error',
    param: 'validation_error',
    code: 'wrong_api_format',
  };
}

/** What Cerebras would refuse in this body: paths of unknown properties, or undefined if none. */
export function refusedPaths(body: Record<string, unknown>, model: FakeCerebrasModel | undefined): string[] {
  const paths: string[] = [];
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key) || model?.refused?.includes(key) === true) paths.push(`body.${key}`);
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  messages.forEach((message, index) => {
    const role = String(message.role);
    const allowed = MESSAGE_FIELDS[role];
    for (const key of Object.keys(message)) if (allowed !== undefined && !allowed.has(key)) paths.push(`messages.${index}.${role}.${key}`);
  });
  return paths;
}

/** A `reasoning_effort` the model does not take, worded as a validation error. */
export function refusedEffort(body: Record<string, unknown>, model: FakeCerebrasModel | undefined): Record<string, unknown> | undefined {
  const effort = body.reasoning_effort;
  if (effort === undefined || effort === null || model?.reasoningEfforts === undefined) return undefined;
  if (model.reasoningEfforts.includes(String(effort))) return undefined;
  return {
    message: `reasoning_effort: '${String(effort)}' is not supported for model ${model.id}; supported values: ${model.reasoningEfforts.join(', ')}`,
    type: 'invalid_request_error',
    param: 'reasoning_effort',
    code: 'wrong_api_format',
  };
}

/** A key's budget as the fake keeps it. */
export interface FakeKeyBudget {
  tokensPerMinute: number;
  requestsPerDay: number;
  tokensLeft: number;
  requestsLeft: number;
}

/** The headers every Cerebras answer carries (reset in seconds, as floats). */
export function rateLimitHeaders(budget: FakeKeyBudget): Record<string, string> {
  return {
    'x-ratelimit-limit-requests-day': String(budget.requestsPerDay),
    'x-ratelimit-limit-tokens-minute': String(budget.tokensPerMinute),
    'x-ratelimit-remaining-requests-day': String(Math.max(0, budget.requestsLeft)),
    'x-ratelimit-remaining-tokens-minute': String(Math.max(0, budget.tokensLeft)),
    'x-ratelimit-reset-requests-day': '33709.5',
    'x-ratelimit-reset-tokens-minute': '49.5',
  };
}

/** Rough prompt tokens: 4 characters a token. */
export function promptTokens(body: Record<string, unknown>): number {
  return Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
}

export const TOKEN_QUOTA_BODY = { message: 'Tokens per minute limit exceeded - too many tokens processed.', type: 'too_many_requests_error', param: 'quota', code: 'token_quota_exceeded' };
export const REQUEST_QUOTA_BODY = { message: 'Requests per day limit exceeded - too many requests sent.', type: 'too_many_requests_error', param: 'quota', code: 'request_quota_exceeded' };
/** Platform load, not the key's quota (Kiln-AI/Kiln#1500). */
export const QUEUE_EXCEEDED_BODY = { message: "We're experiencing high traffic right now! Please try again soon.", type: 'too_many_requests_error', param: 'queue', code: 'queue_exceeded' };
