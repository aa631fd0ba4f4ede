import { z } from 'zod';
import { openAISamplingSchema } from './openai-chat-request-schema.ts';

/**
 * The legacy `POST /v1/completions` (openai-node src/resources/completions.ts,
 * CompletionCreateParamsBase). `prompt` may be a string, an array of strings, or token arrays;
 * the schema accepts all so the converter can say exactly which is unsupported.
 */
export const openAICompletionRequestSchema = z
  .object({
    ...openAISamplingSchema.shape,
    prompt: z.union([z.string(), z.array(z.string()), z.array(z.number()), z.array(z.array(z.number()))]),
    suffix: z.string().nullish(),
    echo: z.boolean().nullish(),
    best_of: z.number().int().positive().nullish(),
    logprobs: z.number().int().min(0).max(5).nullish(),
  })
  .loose();

export type OpenAICompletionRequest = z.infer<typeof openAICompletionRequestSchema>;

export const KNOWN_OPENAI_COMPLETION_FIELDS: ReadonlySet<string> = new Set([...Object.keys(openAICompletionRequestSchema.shape), 'extra_body']);
