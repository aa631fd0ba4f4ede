import { z } from 'zod';

/**
 * `providerOptions.anthropic`: what an Anthropic client sent that only an Anthropic upstream can
 * use — its `thinking` as sent, its `anthropic-beta` flags, its documents' `citations` and `context`, and its `cache_control` breakpoints by
 * canonical position (message, part and block inside a tool result, or tool). Validated here, the only reader.
 */
export const anthropicProviderOptionsSchema = z.looseObject({
  thinking: z.looseObject({ type: z.string() }).optional(),
  betas: z.array(z.string()).optional(),
  cacheControl: z
    .array(
      z.object({
        message: z.number().int().optional(),
        part: z.number().int().optional(),
        /** A block inside a tool result's content. */
        block: z.number().int().optional(),
        tool: z.number().int().optional(),
        cacheControl: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
  /** A document's own fields (`citations`, `context`) by canonical position, with the client's wire paths of them. */
  blockFields: z
    .array(
      z.object({
        message: z.number().int(),
        part: z.number().int(),
        block: z.number().int().optional(),
        fields: z.record(z.string(), z.unknown()),
        paths: z.array(z.string()),
      }),
    )
    .optional(),
});
export type AnthropicProviderOptions = z.infer<typeof anthropicProviderOptionsSchema>;

export function readAnthropicProviderOptions(options: Record<string, Record<string, unknown>> | undefined): AnthropicProviderOptions {
  const own = options?.anthropic;
  if (own === undefined) return {};
  const parsed = anthropicProviderOptionsSchema.safeParse(own);
  return parsed.success ? parsed.data : {};
}
