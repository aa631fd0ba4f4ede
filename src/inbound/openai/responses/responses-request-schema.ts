import { z } from 'zod';
import { OPENAI_REASONING_EFFORTS } from '../openai-chat-request-schema.ts';
import { responsesInputItemSchema } from './responses-input-item-schema.ts';

/**
 * `POST /v1/responses` as the openai SDK sends it (openai-node src/resources/responses/responses.ts,
 * ResponseCreateParamsBase) and as Codex sends it (codex-rs codex-api/src/common.rs,
 * ResponsesApiRequest: model, instructions, input, tools, tool_choice, parallel_tool_calls,
 * reasoning, store, stream, include, prompt_cache_key, text, previous_response_id).
 * Optional fields accept `null`. Unknown top-level fields are kept (loose) and declared, never
 * forwarded blindly.
 */

const functionToolSchema = z.object({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

/** Built-in tools (web_search, file_search, local_shell, custom, …) are matched by `type` only, to be refused by name. */
const otherToolSchema = z.object({ type: z.string().min(1) }).loose();

export const responsesToolSchema = z.union([functionToolSchema, otherToolSchema]);
export type ResponsesTool = z.infer<typeof responsesToolSchema>;
export type ResponsesFunctionTool = z.infer<typeof functionToolSchema>;

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), name: z.string().min(1) }),
  z.object({ type: z.string().min(1) }).loose(),
]);

const textFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().nullish(),
    description: z.string().nullish(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
  }),
]);

export const responsesRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(responsesInputItemSchema)]).nullish(),
    instructions: z.string().nullish(),
    tools: z.array(responsesToolSchema).nullish(),
    tool_choice: toolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    max_output_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    reasoning: z
      .object({
        effort: z.enum(OPENAI_REASONING_EFFORTS).nullish(),
        summary: z.enum(['auto', 'concise', 'detailed', 'none']).nullish(),
        generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      })
      .nullish(),
    text: z.object({ format: textFormatSchema.nullish(), verbosity: z.enum(['low', 'medium', 'high']).nullish() }).nullish(),
    include: z.array(z.string()).nullish(),
    store: z.boolean().nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_obfuscation: z.boolean().nullish() }).nullish(),
    previous_response_id: z.string().min(1).nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    user: z.string().nullish(),
    safety_identifier: z.string().nullish(),
    prompt_cache_key: z.string().nullish(),
    truncation: z.enum(['auto', 'disabled']).nullish(),
    service_tier: z.string().nullish(),
    background: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
    max_tool_calls: z.number().int().positive().nullish(),
    conversation: z.unknown().optional(),
    prompt: z.unknown().optional(),
  })
  .loose();

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** Fields llmux reads itself; any other top-level field is declared as not carried. */
export const KNOWN_RESPONSES_FIELDS: ReadonlySet<string> = new Set(Object.keys(responsesRequestSchema.shape));

/** `POST /v1/responses/input_tokens`: the same body, nothing generated. */
export const responsesInputTokensRequestSchema = responsesRequestSchema.extend({ model: z.string().min(1) });

/** `POST /v1/responses/compact` (codex-rs codex-api/src/common.rs, CompactionInput). */
export const responsesCompactRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(responsesInputItemSchema)]),
    instructions: z.string().nullish(),
    tools: z.array(responsesToolSchema).nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    reasoning: responsesRequestSchema.shape.reasoning,
    text: responsesRequestSchema.shape.text,
    previous_response_id: z.string().min(1).nullish(),
  })
  .loose();
export type ResponsesCompactRequest = z.infer<typeof responsesCompactRequestSchema>;
