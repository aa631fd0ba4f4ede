import { z } from 'zod';
import { ollamaGenerationFields } from './ollama-chat-request-schema.ts';

/**
 * `POST /api/generate`. `context` is the deprecated token memory of an earlier answer.
 * https://github.com/ollama/ollama/blob/main/api/types.go (GenerateRequest)
 */
export const ollamaGenerateRequestSchema = z.object({
  ...ollamaGenerationFields,
  prompt: z.string().nullish(),
  suffix: z.string().nullish(),
  system: z.string().nullish(),
  template: z.string().nullish(),
  context: z.array(z.number().int()).nullish(),
  raw: z.boolean().nullish(),
  images: z.array(z.string()).nullish(),
});

export type OllamaGenerateRequest = z.infer<typeof ollamaGenerateRequestSchema>;
