import { z } from 'zod';

/**
 * The model-management requests. Each accepts `name` as well as `model`: ollama-js sends `name`
 * for pull, push and delete, and Raycast and Continue send it for show.
 * https://github.com/ollama/ollama/blob/main/api/types.go (ShowRequest, PullRequest, …)
 */
const named = { model: z.string().nullish(), name: z.string().nullish() };

export const ollamaShowRequestSchema = z.object({
  ...named,
  verbose: z.boolean().nullish(),
  system: z.string().nullish(),
  template: z.string().nullish(),
  options: z.record(z.string(), z.unknown()).nullish(),
});

export const ollamaPullRequestSchema = z.object({ ...named, insecure: z.boolean().nullish(), stream: z.boolean().nullish() });

export const ollamaDeleteRequestSchema = z.object(named);

export const ollamaCopyRequestSchema = z.object({ source: z.string().nullish(), destination: z.string().nullish() });

export const ollamaCreateRequestSchema = z.object({
  ...named,
  from: z.string().nullish(),
  files: z.record(z.string(), z.string()).nullish(),
  stream: z.boolean().nullish(),
});

export type OllamaShowRequest = z.infer<typeof ollamaShowRequestSchema>;
export type OllamaPullRequest = z.infer<typeof ollamaPullRequestSchema>;
