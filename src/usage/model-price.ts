/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  /** Prompt tokens read from the provider's cache; `input` when the provider gives no discount. */
  cachedInput?: number;
  /** Prompt tokens written to the provider's cache (Anthropic: for five minutes); `input` when unset. */
  cacheWrite?: number;
  /** Prompt tokens written to the cache for an hour (Anthropic's `ttl: "1h"`, priced higher); `cacheWrite` when unset. */
  cacheWrite1h?: number;
  output: number;
  /** Reasoning tokens; `output` when unset (every provider so far bills them as output). */
  reasoning?: number;
}
