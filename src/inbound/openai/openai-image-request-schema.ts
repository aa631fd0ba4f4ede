import { z } from 'zod';

/** `POST /v1/images/generations` (openai-node src/resources/images.ts, ImageGenerateParamsBase). */
export const openAIImageRequestSchema = z
  .object({
    prompt: z.string().min(1),
    model: z.string().min(1).nullish(),
    n: z.number().int().min(1).max(10).nullish(),
    size: z.string().nullish(),
    quality: z.string().nullish(),
    style: z.string().nullish(),
    response_format: z.enum(['url', 'b64_json']).nullish(),
    user: z.string().nullish(),
  })
  .loose();

export type OpenAIImageRequest = z.infer<typeof openAIImageRequestSchema>;

export const KNOWN_OPENAI_IMAGE_FIELDS: ReadonlySet<string> = new Set([...Object.keys(openAIImageRequestSchema.shape), 'extra_body']);
