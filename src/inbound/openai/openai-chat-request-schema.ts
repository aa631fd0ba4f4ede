import { z } from 'zod';

/**
 * `POST /v1/chat/completions` as the openai SDK sends it
 * (openai-node src/resources/chat/completions/completions.ts, ChatCompletionCreateParamsBase).
 * Optional fields accept `null`, which many clients send for "not set". Unknown top-level fields
 * are kept (loose) so provider-specific extras (`extra_body` content) can be passed on.
 */

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

const imagePartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).nullish() }),
});

const audioPartSchema = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.string() }),
});

const filePartSchema = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.string().nullish(), file_id: z.string().nullish(), filename: z.string().nullish() }),
});

const refusalPartSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const openAIContentPartSchema = z.discriminatedUnion('type', [textPartSchema, imagePartSchema, audioPartSchema, filePartSchema, refusalPartSchema]);
export type OpenAIContentPart = z.infer<typeof openAIContentPartSchema>;

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string(), arguments: z.string().nullish() }),
});

export const OPENAI_MESSAGE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

/**
 * One schema for every role (rather than a union on `role`) so an unknown role gets a clear
 * "expected one of …" message; what each role requires is checked while converting.
 */
const messageSchema = z.object({
  role: z.enum(OPENAI_MESSAGE_ROLES),
  content: z.union([z.string(), z.array(openAIContentPartSchema)]).nullish(),
  name: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  tool_call_id: z.string().nullish(),
  /** Legacy single function call on an assistant message. */
  function_call: z.object({ name: z.string(), arguments: z.string().nullish() }).nullish(),
  /** Reasoning sent back on assistant turns (DeepSeek / vLLM `reasoning_content`, Ollama `reasoning`). */
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
});
export type OpenAIChatMessage = z.infer<typeof messageSchema>;

const functionDefinitionSchema = z.object({
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const toolSchema = z.object({ type: z.literal('function'), function: functionDefinitionSchema });

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().nullish(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const OPENAI_REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

const nonNegativeInteger = z.number().int().nonnegative();

/** Sampling and output fields shared with the legacy `/v1/completions`. */
export const openAISamplingSchema = z.object({
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).loose().nullish(),
  max_tokens: nonNegativeInteger.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  n: z.number().int().positive().nullish(),
  user: z.string().nullish(),
  /** Common `extra_body` sampling fields (vLLM, llama.cpp, Ollama) that have canonical homes. */
  top_k: z.number().int().nonnegative().nullish(),
  min_p: z.number().min(0).max(1).nullish(),
  repetition_penalty: z.number().nullish(),
});
export type OpenAISamplingFields = z.infer<typeof openAISamplingSchema>;

export const openAIChatRequestSchema = z
  .object({
    ...openAISamplingSchema.shape,
    messages: z.array(messageSchema).min(1),
    max_completion_tokens: nonNegativeInteger.nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
    tools: z.array(toolSchema).nullish(),
    tool_choice: toolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    functions: z.array(functionDefinitionSchema).nullish(),
    function_call: z.union([z.enum(['none', 'auto']), z.object({ name: z.string() })]).nullish(),
    response_format: responseFormatSchema.nullish(),
    reasoning_effort: z.enum(OPENAI_REASONING_EFFORTS).nullish(),
    reasoning: z.object({ effort: z.enum(OPENAI_REASONING_EFFORTS).nullish() }).loose().nullish(),
    modalities: z.array(z.string()).nullish(),
    audio: z.unknown().optional(),
  })
  .loose();

export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;

/**
 * Fields llmux reads itself. Every other top-level field is passed on as a provider extra: the
 * OpenAI platform's own (`store`, `metadata`, `service_tier`, `prompt_cache_key`, `verbosity`…)
 * mean something to an OpenAI-compatible upstream, and each provider drops what it does not take.
 */
export const KNOWN_OPENAI_CHAT_FIELDS: ReadonlySet<string> = new Set([...Object.keys(openAIChatRequestSchema.shape), 'extra_body']);
