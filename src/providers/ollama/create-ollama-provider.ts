import type { ProviderFactory } from '../provider-adapter.ts';
import { OllamaAdapter } from './ollama-adapter.ts';

/** Provider type `ollama`: a real Ollama server or Ollama's cloud. */
export const createOllamaProvider: ProviderFactory = (input) => new OllamaAdapter(input);
