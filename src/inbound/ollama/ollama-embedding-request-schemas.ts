import { z } from 'zod';

/**
 * `POST /api/embed` (`input`: a string or strings, checked by the handler for Ollama's
 * `invalid input type`) and the legacy `POST /api/embeddings` (`prompt`).
 * https://github.com/ollama/ollama/blob/main/api/types.go (EmbedRequest, EmbeddingRequest)
 */
export const ollamaEmbedRequestSchema = z.object({
  model: z.string().nullish(),
  input: z.unknown().optional(),
  truncate: z.boolean().nullish(),
  dimensions: z.number().int().nullish(),
  keep_alive: z.unknown().optional(),
  options: z.record(z.string(), z.unknown()).nullish(),
});

export const ollamaEmbeddingsRequestSchema = z.object({
  model: z.string().nullish(),
  prompt: z.string().nullish(),
  keep_alive: z.unknown().optional(),
  options: z.record(z.string(), z.unknown()).nullish(),
});

export type OllamaEmbedRequest = z.infer<typeof ollamaEmbedRequestSchema>;
export type OllamaEmbeddingsRequest = z.infer<typeof ollamaEmbeddingsRequestSchema>;
