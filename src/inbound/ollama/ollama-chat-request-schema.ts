import { z } from 'zod';

/**
 * `POST /api/chat` as Ollama's Go server decodes it: unknown fields ignored, `null` where Go would
 * leave a zero value. `think`, `format`, `keep_alive` and the tool-call `arguments` take several
 * shapes and are checked where they are converted.
 * https://github.com/ollama/ollama/blob/main/api/types.go (ChatRequest, Message, Tool)
 */
export const ollamaToolCallSchema = z.object({
  id: z.string().nullish(),
  function: z.object({
    index: z.number().int().nullish(),
    name: z.string().nullish(),
    arguments: z.unknown().optional(),
  }),
});

export const ollamaMessageSchema = z.object({
  role: z.string(),
  content: z.string().nullish(),
  thinking: z.string().nullish(),
  images: z.array(z.string()).nullish(),
  tool_calls: z.array(ollamaToolCallSchema).nullish(),
  tool_name: z.string().nullish(),
  tool_call_id: z.string().nullish(),
});

export const ollamaToolSchema = z.object({
  type: z.string().nullish(),
  function: z.object({
    name: z.string(),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});

/** Fields /api/chat and /api/generate share. */
export const ollamaGenerationFields = {
  model: z.string().nullish(),
  stream: z.boolean().nullish(),
  format: z.unknown().optional(),
  keep_alive: z.unknown().optional(),
  options: z.record(z.string(), z.unknown()).nullish(),
  think: z.unknown().optional(),
  truncate: z.boolean().nullish(),
  shift: z.boolean().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
};

export const ollamaChatRequestSchema = z.object({
  ...ollamaGenerationFields,
  messages: z.array(ollamaMessageSchema).nullish(),
  tools: z.array(ollamaToolSchema).nullish(),
});

export type OllamaChatRequest = z.infer<typeof ollamaChatRequestSchema>;
export type OllamaMessage = z.infer<typeof ollamaMessageSchema>;
export type OllamaToolCall = z.infer<typeof ollamaToolCallSchema>;
export type OllamaTool = z.infer<typeof ollamaToolSchema>;
