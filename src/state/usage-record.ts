/** One request as the usage log keeps it (one per request outcome). */
export interface UsageRecord {
  /** Epoch ms when the request arrived. */
  time: number;
  requestId: string;
  keyName?: string;
  protocol: string;
  route: string;
  requestedModel?: string;
  provider?: string;
  upstreamModel?: string;
  attempts: number;
  status: number;
  result: string;
  streamed: boolean;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  ttftMs?: number;
  totalMs: number;
  /** US dollars; undefined when the model has no known price. */
  costUsd?: number;
}
