import { z } from 'zod';

/**
 * `POST /v1/embeddings` (openai-node src/resources/embeddings.ts). Token-id inputs are accepted
 * by the schema so the route can refuse them with a message saying why.
 */
export const openAIEmbeddingRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()).min(1), z.array(z.array(z.number())).min(1)]),
    dimensions: z.number().int().positive().nullish(),
    encoding_format: z.enum(['float', 'base64']).nullish(),
    user: z.string().nullish(),
  })
  .loose();

export type OpenAIEmbeddingRequest = z.infer<typeof openAIEmbeddingRequestSchema>;
