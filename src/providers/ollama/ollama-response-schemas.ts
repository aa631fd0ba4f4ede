import { z } from 'zod';

/**
 * What an Ollama server answers, as far as llmux reads it (ollama `api/types.go`: ChatResponse,
 * ListResponse, ShowResponse, EmbedResponse). Unknown fields pass: newer Ollamas add them.
 */
export const ollamaToolCallSchema = z.looseObject({
  id: z.string().optional(),
  function: z.looseObject({
    index: z.number().optional(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** One `/api/chat` or `/api/generate` NDJSON line, or the whole answer with `stream:false`. */
export const ollamaChatChunkSchema = z.looseObject({
  model: z.string().optional(),
  created_at: z.string().optional(),
  /** `/api/generate`'s text, where `/api/chat` has `message.content`. */
  response: z.string().optional(),
  thinking: z.string().optional(),
  message: z
    .looseObject({
      role: z.string().optional(),
      content: z.string().optional(),
      thinking: z.string().optional(),
      images: z.array(z.string()).nullish(),
      tool_calls: z.array(ollamaToolCallSchema).nullish(),
    })
    .optional(),
  done: z.boolean().optional(),
  done_reason: z.string().optional(),
  total_duration: z.number().optional(),
  load_duration: z.number().optional(),
  prompt_eval_count: z.number().optional(),
  prompt_eval_duration: z.number().optional(),
  eval_count: z.number().optional(),
  eval_duration: z.number().optional(),
  logprobs: z
    .array(
      z.looseObject({
        token: z.string(),
        logprob: z.number(),
        bytes: z.array(z.number()).nullish(),
        top_logprobs: z.array(z.looseObject({ token: z.string(), logprob: z.number(), bytes: z.array(z.number()).nullish() })).nullish(),
      }),
    )
    .nullish(),
  /** Set instead of everything else when the server failed, even after a stream started. */
  error: z.string().optional(),
});
export type OllamaChatChunk = z.infer<typeof ollamaChatChunkSchema>;

const ollamaDetailsSchema = z.looseObject({
  family: z.string().optional(),
  families: z.array(z.string()).nullish(),
  parameter_size: z.string().optional(),
  quantization_level: z.string().optional(),
  format: z.string().optional(),
  context_length: z.number().optional(),
});

/** `GET /api/tags`. */
export const ollamaTagsSchema = z.looseObject({
  models: z
    .array(
      z.looseObject({
        name: z.string(),
        model: z.string().optional(),
        modified_at: z.string().optional(),
        size: z.number().optional(),
        digest: z.string().optional(),
        details: ollamaDetailsSchema.optional(),
        capabilities: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});

/** `POST /api/show`. */
export const ollamaShowSchema = z.looseObject({
  capabilities: z.array(z.string()).nullish(),
  details: ollamaDetailsSchema.optional(),
  model_info: z.record(z.string(), z.unknown()).nullish(),
  parameters: z.string().optional(),
  modified_at: z.string().optional(),
});
export type OllamaShow = z.infer<typeof ollamaShowSchema>;

/** `POST /api/embed`. */
export const ollamaEmbedSchema = z.looseObject({
  model: z.string().optional(),
  embeddings: z.array(z.array(z.number())),
  prompt_eval_count: z.number().optional(),
});

/** Every error body: `{"error":"…"}`. */
export const ollamaErrorBodySchema = z.looseObject({ error: z.string() });
