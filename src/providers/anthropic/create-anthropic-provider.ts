import type { ProviderFactory } from '../provider-adapter.ts';
import { AnthropicAdapter } from './anthropic-adapter.ts';

/** Provider type `anthropic`: the Anthropic Messages API or any server that speaks it. */
export const createAnthropicProvider: ProviderFactory = (input) => new AnthropicAdapter(input);
