import type { ProviderFactory } from '../provider-adapter.ts';
import { OpenAICompatibleAdapter } from '../openai-compatible/openai-compatible-adapter.ts';
import { resolveOpenAICompatibleDialect } from '../openai-compatible/openai-compatible-dialect.ts';
import { CEREBRAS_DIALECT } from './cerebras-dialect.ts';

/** Provider type `cerebras`: Cerebras Inference, a preset over the OpenAI-compatible adapter. */
export const createCerebrasProvider: ProviderFactory = (input) => new OpenAICompatibleAdapter(input, resolveOpenAICompatibleDialect(CEREBRAS_DIALECT));
