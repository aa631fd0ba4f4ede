import { z } from 'zod';

/**
 * The items of a Responses API `input` list, as the openai SDK types them
 * (openai-node src/resources/responses/responses.ts, ResponseInputItem) and as Codex sends them
 * (codex-rs protocol/src/models.rs, ResponseItem). A message may omit `type` (EasyInputMessage);
 * it is filled in before the item is matched on `type`, so an unknown type is reported by name.
 */

const inputTextSchema = z.object({ type: z.literal('input_text'), text: z.string() });

const outputTextSchema = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).nullish(),
  logprobs: z.array(z.unknown()).nullish(),
});

const refusalSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });

const inputImageSchema = z.object({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high']).nullish(),
});

const inputFileSchema = z.object({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  file_id: z.string().nullish(),
  filename: z.string().nullish(),
});

export const responsesContentPartSchema = z.discriminatedUnion('type', [inputTextSchema, outputTextSchema, refusalSchema, inputImageSchema, inputFileSchema]);
export type ResponsesContentPart = z.infer<typeof responsesContentPartSchema>;

/** What a tool result may hold besides plain text (ResponseFunctionCallOutputItemList). */
export const responsesToolOutputPartSchema = z.discriminatedUnion('type', [inputTextSchema, inputImageSchema, inputFileSchema]);
export type ResponsesToolOutputPart = z.infer<typeof responsesToolOutputPartSchema>;

const messageItemSchema = z.object({
  type: z.literal('message'),
  id: z.string().nullish(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(responsesContentPartSchema)]),
  status: z.string().nullish(),
  phase: z.string().nullish(),
});

const functionCallItemSchema = z.object({
  type: z.literal('function_call'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: z.string().nullish(),
});

const functionCallOutputItemSchema = z.object({
  type: z.literal('function_call_output'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(responsesToolOutputPartSchema)]),
  status: z.string().nullish(),
});

const reasoningItemSchema = z.object({
  type: z.literal('reasoning'),
  id: z.string().nullish(),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })).default([]),
  content: z.array(z.object({ type: z.enum(['reasoning_text', 'text']), text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
  status: z.string().nullish(),
});

const itemReferenceSchema = z.object({ type: z.literal('item_reference'), id: z.string().min(1) });

export const RESPONSES_INPUT_ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference'] as const;

export const responsesInputItemSchema = z.preprocess(
  (item) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item) && !('type' in item) && 'role' in item) return { ...item, type: 'message' };
    return item;
  },
  z.discriminatedUnion('type', [messageItemSchema, functionCallItemSchema, functionCallOutputItemSchema, reasoningItemSchema, itemReferenceSchema]),
);
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
export type ResponsesMessageItem = z.infer<typeof messageItemSchema>;
export type ResponsesFunctionCallItem = z.infer<typeof functionCallItemSchema>;
export type ResponsesFunctionCallOutputItem = z.infer<typeof functionCallOutputItemSchema>;
export type ResponsesReasoningItem = z.infer<typeof reasoningItemSchema>;
