import { z } from 'zod';

/**
 * What the Anthropic Messages API answers (anthropic-sdk-typescript src/resources/messages/messages.ts:
 * Message, RawMessageStreamEvent; src/resources/models.ts: ModelInfo; src/core/error.ts). Lenient:
 * fields are optional or nullable where the API may leave them out, unknown fields are kept, and a
 * block or delta type this build does not know parses as a generic object (so a new API feature
 * is reported, not a crash).
 */

export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
const thinkingBlockSchema = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().nullish() });
const redactedThinkingBlockSchema = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });
const toolUseBlockSchema = z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() });
const otherBlockSchema = z.looseObject({ type: z.string() });

export const anthropicResponseBlockSchema = z.union([textBlockSchema, thinkingBlockSchema, redactedThinkingBlockSchema, toolUseBlockSchema, otherBlockSchema]);
export type AnthropicResponseBlock = z.infer<typeof anthropicResponseBlockSchema>;

export const anthropicMessageResponseSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message').optional(),
  role: z.string().optional(),
  model: z.string().optional(),
  content: z.array(anthropicResponseBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});
export type AnthropicMessageResponse = z.infer<typeof anthropicMessageResponseSchema>;

const deltaSchema = z.union([
  z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
  z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
  z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
  z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
  z.looseObject({ type: z.string() }),
]);

export const anthropicErrorObjectSchema = z.looseObject({ type: z.string(), message: z.string() });

export const anthropicStreamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('message_start'),
    message: z.looseObject({ id: z.string(), model: z.string().optional(), usage: anthropicUsageSchema.nullish() }),
  }),
  z.looseObject({ type: z.literal('content_block_start'), index: z.number(), content_block: anthropicResponseBlockSchema }),
  z.looseObject({ type: z.literal('content_block_delta'), index: z.number(), delta: deltaSchema }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
    usage: anthropicUsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
  z.looseObject({ type: z.literal('error'), error: anthropicErrorObjectSchema }),
]);
export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

/** `{"type":"error","error":{"type","message"},"request_id"}`, the body of every error answer. */
export const anthropicErrorBodySchema = z.looseObject({
  type: z.literal('error').optional(),
  error: anthropicErrorObjectSchema,
  request_id: z.string().nullish(),
});

export const anthropicModelInfoSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  display_name: z.string().nullish(),
  created_at: z.string().nullish(),
  max_input_tokens: z.number().nullish(),
  max_tokens: z.number().nullish(),
});

/** `GET /v1/models`: one page; `last_id` is the `after_id` of the next while `has_more`. */
export const anthropicModelPageSchema = z.looseObject({
  data: z.array(anthropicModelInfoSchema),
  has_more: z.boolean().optional(),
  first_id: z.string().nullish(),
  last_id: z.string().nullish(),
});

export const anthropicTokenCountSchema = z.looseObject({ input_tokens: z.number() });
