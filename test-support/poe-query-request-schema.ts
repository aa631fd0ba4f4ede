import { z } from 'zod';

/**
 * What fastapi_poe's pydantic models accept (src/fastapi_poe/types.py): required fields and their
 * types; fields with defaults may be left out; unknown fields are ignored, as pydantic does.
 */
const text = z.string();
const attachmentSchema = z.object({ url: text, content_type: text, name: text, inline_ref: text.nullish() });
const protocolMessageSchema = z.object({
  role: z.enum(['system', 'user', 'bot', 'tool']),
  message_type: z.literal('function_call').nullish(),
  content: text,
  content_type: z.enum(['text/markdown', 'text/plain']).optional(),
  parameters: z.record(text, z.unknown()).optional(),
  attachments: z.array(attachmentSchema).optional(),
});
const parametersSchema = z.object({ type: text, properties: z.record(text, z.unknown()), required: z.array(text).nullish() });
const toolSchema = z.object({ type: text, function: z.object({ name: text, description: text, parameters: parametersSchema }) });
const toolCallSchema = z.object({ id: text, type: text, function: z.object({ name: text, arguments: text }) });
const toolResultSchema = z.object({ role: text, name: text, tool_call_id: text, content: text });
export const poeQueryRequestSchema = z.object({
  version: text,
  type: z.literal('query'),
  query: z.array(protocolMessageSchema),
  user_id: text,
  conversation_id: text,
  message_id: text,
  temperature: z.number().nullish(),
  skip_system_prompt: z.boolean().optional(),
  logit_bias: z.record(text, z.number()).optional(),
  stop_sequences: z.array(text).optional(),
  tools: z.array(toolSchema).nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  tool_results: z.array(toolResultSchema).nullish(),
});
