import type { ProviderFactory } from '../provider-adapter.ts';
import { OpenAICompatibleAdapter } from './openai-compatible-adapter.ts';
import { resolveOpenAICompatibleDialect, type OpenAICompatibleDialect } from './openai-compatible-dialect.ts';

/**
 * Provider type `openai-compatible`: any server with OpenAI's chat-completions API (OpenAI,
 * vLLM, llama.cpp, LM Studio, OpenRouter, Groq, …) at the configured `base_url`.
 */
export const createOpenAICompatibleProvider: ProviderFactory = (input) => {
  const overrides: Partial<OpenAICompatibleDialect> = {};
  // OpenAI's reasoning models refuse `max_tokens`
  // (https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_tokens);
  // most other servers know only `max_tokens`.
  if (input.config.base_url !== undefined && new URL(input.config.base_url).hostname === 'api.openai.com') {
    overrides.maxTokensField = 'max_completion_tokens';
  }
  return new OpenAICompatibleAdapter(input, resolveOpenAICompatibleDialect(overrides));
};
