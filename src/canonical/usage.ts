/** Token counts. `source` says whether the upstream reported them or llmux counted them. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens?: number;
  cachedInputTokens?: number;
  source: 'upstream' | 'counted';
}

export function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}
