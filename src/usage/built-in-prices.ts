import type { ModelPrice } from './model-price.ts';

/**
 * List prices of well-known models, US dollars per million tokens, as their makers published them
 * (2025–26). Used when neither the config nor the provider's model list gives a price. Keys are
 * lower-case model ids; a dated id (`gpt-4o-2024-08-06`) takes the price of its longest known prefix.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  // Cerebras (cerebras.ai/pricing)
  'gpt-oss-120b': { input: 0.35, output: 0.75 },
  'llama3.1-8b': { input: 0.1, output: 0.1 },
  'llama-3.3-70b': { input: 0.85, output: 1.2 },
  'qwen-3-32b': { input: 0.4, output: 0.8 },
  'qwen-3-235b-a22b-instruct-2507': { input: 0.6, output: 1.2 },
  'qwen-3-235b-a22b-thinking-2507': { input: 0.6, output: 2.9 },
  'qwen-3-coder-480b': { input: 2, output: 2 },
  'zai-glm-4.6': { input: 2.25, output: 2.75 },
  // OpenAI (openai.com/api/pricing)
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  // Anthropic (anthropic.com/pricing): cache reads 0.1×, 5-minute cache writes 1.25× input, 1-hour writes 2×
  'claude-opus-4': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, cacheWrite1h: 30, output: 75 },
  'claude-opus-4-1': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, cacheWrite1h: 30, output: 75 },
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6, output: 15 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, cacheWrite: 1, cacheWrite1h: 1.6, output: 4 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: 2, output: 5 },
  // Google (ai.google.dev/pricing), prompts up to 200k tokens
  'gemini-2.5-pro': { input: 1.25, cachedInput: 0.31, output: 10 },
  'gemini-2.5-flash': { input: 0.3, cachedInput: 0.075, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, cachedInput: 0.025, output: 0.4 },
};
