import { z } from 'zod';

/**
 * `POST /v1/messages` (and `/v1/messages/count_tokens`) as the @anthropic-ai/sdk and Claude Code
 * send it (anthropic-sdk-typescript src/resources/messages/messages.ts, MessageCreateParamsBase).
 * Blocks llmux understands are typed; blocks that only Anthropic's own servers can act on (server
 * tool calls and results, search results, container uploads) are recognised by type, passed whole
 * to an Anthropic upstream and refused by name for any other. Every object is loose: fields a
 * newer client adds are kept, never a 400 from llmux.
 */

const cacheControlSchema = z.looseObject({ type: z.string(), ttl: z.string().optional() }).nullish();

export const anthropicTextBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControlSchema,
  citations: z.array(z.unknown()).nullish(),
});

const imageSourceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
  z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
  z.looseObject({ type: z.literal('file'), file_id: z.string().min(1) }),
]);

export const anthropicImageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: imageSourceSchema,
  cache_control: cacheControlSchema,
});

const documentSourceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
  z.looseObject({ type: z.literal('text'), media_type: z.string().optional(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
  z.looseObject({ type: z.literal('content'), content: z.union([z.string(), z.array(z.unknown())]) }),
  z.looseObject({ type: z.literal('file'), file_id: z.string().min(1) }),
]);

export const anthropicDocumentBlockSchema = z.looseObject({
  type: z.literal('document'),
  source: documentSourceSchema,
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.unknown().optional(),
  cache_control: cacheControlSchema,
});

const toolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControlSchema,
});

/** Blocks a tool result may hold; anything else inside it is refused by type while converting. */
const toolResultContentBlockSchema = z.looseObject({ type: z.string() });

const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(toolResultContentBlockSchema)]).optional(),
  is_error: z.boolean().nullish(),
  cache_control: cacheControlSchema,
});

const thinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().nullish(),
});

const redactedThinkingBlockSchema = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

/** Blocks that record server-side tools and features only Anthropic's servers run (kept whole for an Anthropic upstream). */
export const ANTHROPIC_SERVER_BLOCK_TYPES = [
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
  'search_result',
  'mcp_tool_use',
  'mcp_tool_result',
] as const;

const serverBlockSchemas = ANTHROPIC_SERVER_BLOCK_TYPES.map((type) => z.looseObject({ type: z.literal(type) }));

export const anthropicContentBlockSchema = z.discriminatedUnion('type', [
  anthropicTextBlockSchema,
  anthropicImageBlockSchema,
  anthropicDocumentBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  ...serverBlockSchemas,
]);
export type AnthropicContentBlock = z.infer<typeof anthropicContentBlockSchema>;

export const anthropicMessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(anthropicContentBlockSchema).min(1)]),
});
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;

/**
 * A tool: a client tool has `input_schema` (and no `type`, or `custom`); anything else with a
 * `type` is one of Anthropic's server or versioned tools (`web_search_20250305`, `bash_20250124`…).
 */
export const anthropicToolSchema = z.looseObject({
  type: z.string().nullish(),
  name: z.string().min(1),
  description: z.string().nullish(),
  input_schema: z.looseObject({ type: z.string().optional() }).optional(),
  cache_control: cacheControlSchema,
  strict: z.boolean().nullish(),
});
export type AnthropicTool = z.infer<typeof anthropicToolSchema>;

export const anthropicToolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().nullish() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().nullish() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().nullish() }),
  z.looseObject({ type: z.literal('none') }),
]);
export type AnthropicToolChoice = z.infer<typeof anthropicToolChoiceSchema>;

export const anthropicThinkingSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(0), display: z.string().nullish() }),
  z.looseObject({ type: z.literal('adaptive'), display: z.string().nullish() }),
  z.looseObject({ type: z.literal('disabled') }),
  z.looseObject({ type: z.literal('between_tools') }),
]);
export type AnthropicThinking = z.infer<typeof anthropicThinkingSchema>;

const outputFormatSchema = z.looseObject({ type: z.string(), schema: z.record(z.string(), z.unknown()).optional() });

/** Fields both `messages` and `count_tokens` take. */
const promptShape = {
  model: z.string().min(1),
  messages: z.array(anthropicMessageSchema),
  system: z.union([z.string(), z.array(anthropicTextBlockSchema)]).nullish(),
  tools: z.array(anthropicToolSchema).nullish(),
  tool_choice: anthropicToolChoiceSchema.nullish(),
  thinking: anthropicThinkingSchema.nullish(),
  output_config: z.looseObject({ effort: z.string().nullish(), format: outputFormatSchema.nullish() }).nullish(),
  output_format: outputFormatSchema.nullish(),
};

export const anthropicMessagesRequestSchema = z.looseObject({
  ...promptShape,
  max_tokens: z.number().int().min(1),
  stream: z.boolean().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  temperature: z.number().min(0).max(1).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  service_tier: z.string().nullish(),
});
export type AnthropicMessagesRequest = z.infer<typeof anthropicMessagesRequestSchema>;

export const anthropicCountTokensRequestSchema = z.looseObject(promptShape);
export type AnthropicCountTokensRequest = z.infer<typeof anthropicCountTokensRequestSchema>;

/** The request fields above; anything else a client sends is an unmapped field. */
export const ANTHROPIC_KNOWN_REQUEST_FIELDS = new Set(Object.keys(anthropicMessagesRequestSchema.shape));
