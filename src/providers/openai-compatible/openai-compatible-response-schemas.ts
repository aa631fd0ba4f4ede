import { z } from 'zod';

/**
 * What OpenAI-compatible upstreams send back, read leniently: every field optional and nullable,
 * unknown fields kept (`looseObject`) so a dialect can read its own extras (Cerebras `time_info`).
 * Shapes follow https://platform.openai.com/docs/api-reference/chat-streaming and
 * github:Cerebras/cerebras-cloud-sdk-node src/resources/chat/completions.ts.
 */

export const openAICompatibleUsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
});
export type OpenAICompatibleUsage = z.infer<typeof openAICompatibleUsageSchema>;

const toolCallFunctionSchema = z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() });

export const openAICompatibleToolCallDeltaSchema = z.looseObject({
  index: z.number().int().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: toolCallFunctionSchema.nullish(),
});
export type OpenAICompatibleToolCallDelta = z.infer<typeof openAICompatibleToolCallDeltaSchema>;

const topLogprobSchema = z.looseObject({ token: z.string(), logprob: z.number(), bytes: z.array(z.number()).nullish() });

/** `choices[].logprobs` (chat): one entry per sampled token of `content`. */
export const openAICompatibleLogprobsSchema = z.looseObject({
  content: z.array(topLogprobSchema.extend({ top_logprobs: z.array(topLogprobSchema).nullish() })).nullish(),
});
export type OpenAICompatibleLogprobs = z.infer<typeof openAICompatibleLogprobsSchema>;

/** `content` is a string almost everywhere; a few servers send an array of `{type:'text',text}` parts. */
const contentSchema = z.union([z.string(), z.array(z.unknown())]).nullish();

const deltaSchema = z.looseObject({
  role: z.string().nullish(),
  content: contentSchema,
  /** Cerebras, OpenRouter, vLLM ≥ 0.10. */
  reasoning: z.string().nullish(),
  /** DeepSeek, vLLM < 0.10, llama.cpp. */
  reasoning_content: z.string().nullish(),
  refusal: z.string().nullish(),
  tool_calls: z.array(openAICompatibleToolCallDeltaSchema).nullish(),
});

export const openAICompatibleChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        delta: deltaSchema.nullish(),
        finish_reason: z.string().nullish(),
        /** vLLM: the stop string (or stop token id) that ended the answer. */
        stop_reason: z.union([z.string(), z.number()]).nullish(),
        logprobs: openAICompatibleLogprobsSchema.nullish(),
      }),
    )
    .nullish(),
  usage: openAICompatibleUsageSchema.nullish(),
});
export type OpenAICompatibleChunk = z.infer<typeof openAICompatibleChunkSchema>;

export const openAICompatibleCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().nullish(),
      finish_reason: z.string().nullish(),
      /** vLLM: the stop string (or stop token id) that ended the answer. */
      stop_reason: z.union([z.string(), z.number()]).nullish(),
      logprobs: openAICompatibleLogprobsSchema.nullish(),
      message: z
        .looseObject({
          role: z.string().nullish(),
          content: contentSchema,
          reasoning: z.string().nullish(),
          reasoning_content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z.array(openAICompatibleToolCallDeltaSchema).nullish(),
        })
        .nullish(),
    }),
  ),
  usage: openAICompatibleUsageSchema.nullish(),
});
export type OpenAICompatibleCompletion = z.infer<typeof openAICompatibleCompletionSchema>;

const modelEntrySchema = z.looseObject({
  id: z.string(),
  created: z.number().nullish(),
  owned_by: z.string().nullish(),
  description: z.string().nullish(),
  /** OpenRouter, Cerebras `?format=openrouter`, LM Studio. */
  context_length: z.number().nullish(),
  /** Groq. */
  context_window: z.number().nullish(),
  /** vLLM. */
  max_model_len: z.number().nullish(),
  /** OpenRouter-style published prices (US dollars per token). */
  pricing: z.unknown().optional(),
});
export type OpenAICompatibleModelEntry = z.infer<typeof modelEntrySchema>;

/** `{object:'list', data:[…]}`; a few servers answer a bare array. */
export const openAICompatibleModelListSchema = z.union([z.looseObject({ data: z.array(modelEntrySchema) }), z.array(modelEntrySchema)]);

export const openAICompatibleEmbeddingsSchema = z.looseObject({
  model: z.string().nullish(),
  data: z.array(
    z.looseObject({
      index: z.number().int().nullish(),
      /** Floats as asked; base64 little-endian float32 from servers that ignore `encoding_format`. */
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  usage: openAICompatibleUsageSchema.nullish(),
});
export type OpenAICompatibleEmbeddings = z.infer<typeof openAICompatibleEmbeddingsSchema>;

/** The fields of an OpenAI-style error, wherever they sit; any of them may be missing or odd. */
export const openAICompatibleErrorFieldsSchema = z.looseObject({
  message: z.unknown().optional(),
  type: z.unknown().optional(),
  param: z.unknown().optional(),
  code: z.unknown().optional(),
});
