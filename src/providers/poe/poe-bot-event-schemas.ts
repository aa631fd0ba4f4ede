import { z } from 'zod';

/**
 * The data of each bot-protocol SSE event, read leniently (unknown fields kept). Shapes from
 * github:poe-platform/fastapi_poe src/fastapi_poe/base.py (`text_event`, `file_event`,
 * `error_event`, …) and client.py (`perform_query_request`).
 */

/** `text`, `replace_response`, `suggested_reply`. */
export const poeTextEventSchema = z.looseObject({ text: z.string(), index: z.number().int().nullish() });

export const poeFileEventSchema = z.looseObject({
  url: z.string(),
  content_type: z.string().nullish(),
  name: z.string().nullish(),
  inline_ref: z.string().nullish(),
  index: z.number().int().nullish(),
});
export type PoeFileEventData = z.infer<typeof poeFileEventSchema>;

export const poeErrorEventSchema = z.looseObject({
  text: z.string().nullish(),
  allow_retry: z.boolean().nullish(),
  error_type: z.string().nullish(),
  raw_response: z.unknown().optional(),
  index: z.number().int().nullish(),
});
export type PoeErrorEventData = z.infer<typeof poeErrorEventSchema>;

const toolCallDeltaSchema = z.looseObject({
  index: z.number().int().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
export type PoeToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

/** `json` events: for tool calling, whole OpenAI `chat.completion.chunk`s. */
export const poeJsonEventSchema = z.looseObject({
  index: z.number().int().nullish(),
  choices: z
    .array(
      z.looseObject({
        delta: z
          .looseObject({
            content: z.string().nullish(),
            tool_calls: z.array(toolCallDeltaSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
});
