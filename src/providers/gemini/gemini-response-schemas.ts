import { z } from 'zod';

/**
 * What the Gemini API answers, as far as llmux reads it; unknown fields pass (Google adds them).
 * From the REST reference (https://ai.google.dev/api/generate-content) and js-genai `src/types.ts`.
 */
export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  /** The part is the model's reasoning summary. */
  thought: z.boolean().optional(),
  /** Opaque state to send back with this part on the next turn (Gemini 2.5/3 thinking models). */
  thoughtSignature: z.string().optional(),
  inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional(),
  fileData: z.looseObject({ mimeType: z.string().optional(), fileUri: z.string() }).optional(),
  functionCall: z
    .looseObject({
      id: z.string().optional(),
      name: z.string(),
      args: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});
export type GeminiPart = z.infer<typeof geminiPartSchema>;

export const geminiUsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
});
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>;

const logprobsCandidateSchema = z.looseObject({ token: z.string().optional(), logProbability: z.number().optional(), tokenId: z.number().optional() });

/** `responseLogprobs`: the chosen token at each step and the likeliest alternatives. */
export const geminiLogprobsResultSchema = z.looseObject({
  chosenCandidates: z.array(logprobsCandidateSchema).optional(),
  topCandidates: z.array(z.looseObject({ candidates: z.array(logprobsCandidateSchema).optional() })).optional(),
});
export type GeminiLogprobsResult = z.infer<typeof geminiLogprobsResultSchema>;

export const geminiCandidateSchema = z.looseObject({
  content: z.looseObject({ role: z.string().optional(), parts: z.array(geminiPartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
  index: z.number().optional(),
  logprobsResult: geminiLogprobsResultSchema.optional(),
});

/** One `generateContent` answer, or one event of `streamGenerateContent?alt=sse`. */
export const geminiGenerateContentResponseSchema = z.looseObject({
  candidates: z.array(geminiCandidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional(), blockReasonMessage: z.string().optional() }).optional(),
  usageMetadata: geminiUsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});
export type GeminiGenerateContentResponse = z.infer<typeof geminiGenerateContentResponseSchema>;

/** `{"error":{code,message,status,details}}`, google.rpc.Status as JSON. */
export const geminiErrorBodySchema = z.object({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.looseObject({ '@type': z.string().optional(), retryDelay: z.string().optional() })).optional(),
  }),
});

/** `GET /{version}/models` (https://ai.google.dev/api/models#method:-models.list). */
export const geminiModelListSchema = z.looseObject({
  models: z
    .array(
      z.looseObject({
        name: z.string(),
        baseModelId: z.string().optional(),
        displayName: z.string().optional(),
        description: z.string().optional(),
        inputTokenLimit: z.number().optional(),
        outputTokenLimit: z.number().optional(),
        supportedGenerationMethods: z.array(z.string()).optional(),
        thinking: z.boolean().optional(),
      }),
    )
    .optional(),
  nextPageToken: z.string().optional(),
});
export type GeminiModelList = z.infer<typeof geminiModelListSchema>;

export const geminiEmbedContentResponseSchema = z.looseObject({ embedding: z.looseObject({ values: z.array(z.number()) }) });
export const geminiBatchEmbedContentsResponseSchema = z.looseObject({ embeddings: z.array(z.looseObject({ values: z.array(z.number()) })) });
