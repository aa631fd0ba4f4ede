/**
 * Token counts, with one meaning for every protocol and provider:
 *
 * - `input.total` is every prompt token, cached ones included. This is OpenAI's `prompt_tokens`;
 *   Anthropic reports `input_tokens` without cache reads and writes, so its total is
 *   `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`. `cacheRead` and
 *   `cacheWrite` are parts of `total`, never added to it.
 * - `output.total` is every generated token, reasoning included (OpenAI `completion_tokens`,
 *   Anthropic `output_tokens`, Gemini `candidatesTokenCount + thoughtsTokenCount`); `reasoning`
 *   is part of it.
 * - `source` says whether the upstream reported the counts or llmux counted them with its
 *   tokenizer (Poe's bot protocol reports none); `raw` keeps the upstream's own object for records.
 *
 * Every provider maps its usage into this shape, and every inbound protocol maps this shape into
 * its own explicitly (an Anthropic client gets `input_tokens = total − cacheRead − cacheWrite`).
 */
export interface Usage {
  input: InputUsage;
  output: OutputUsage;
  source: 'upstream' | 'counted';
  /**
   * Calls of the provider's server-side tools, billed apart from tokens, by the provider's own
   * name for them (Anthropic `server_tool_use`: `web_search_requests`, `web_fetch_requests`…).
   */
  serverToolRequests?: Record<string, number>;
  raw?: unknown;
}

export interface InputUsage {
  total: number;
  cacheRead?: number;
  cacheWrite?: number;
  /**
   * The cache writes by how long the cache keeps them, where the upstream says (Anthropic's
   * `cache_creation`: `5m`, `1h`, priced apart): parts of `cacheWrite`, in the upstream's order.
   */
  cacheWriteByTtl?: Readonly<Record<string, number>>;
}

export interface OutputUsage {
  total: number;
  reasoning?: number;
}

export function totalTokens(usage: Usage): number {
  return usage.input.total + usage.output.total;
}

/** Input tokens not served from or written to a cache (Anthropic's `input_tokens`). */
export function uncachedInputTokens(usage: Usage): number {
  return Math.max(0, usage.input.total - (usage.input.cacheRead ?? 0) - (usage.input.cacheWrite ?? 0));
}
