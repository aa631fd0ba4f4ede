import type { ProviderFactory } from '../provider-adapter.ts';
import { GeminiAdapter } from './gemini-adapter.ts';

/** Provider type `gemini`: Google's Gemini API. */
export const createGeminiProvider: ProviderFactory = (input) => new GeminiAdapter(input);
