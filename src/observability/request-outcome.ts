import type { GatewayErrorKind } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { Usage } from '../canonical/usage.ts';
import type { DegradedField } from '../canonical/degraded-field.ts';

/** One call to one upstream target (a retry or a fallback is another attempt). */
export interface UpstreamAttempt {
  /** Configured provider id. */
  provider: string;
  /** Its type. */
  providerType: string;
  /** Upstream model id. */
  model: string;
  /** Upstream HTTP status, or the mapped GatewayError status; 200 for success. */
  status: number;
  /** How long the call took; for a stream, until the stream ended. */
  ms: number;
  errorKind?: GatewayErrorKind;
}

export type OutcomeResult = 'success' | 'error' | 'client_abort' | 'drain_cut';

/**
 * Everything known about one request once its socket closed: created when the request arrives,
 * finalised exactly once. Read by the access log and the rate limiter (usage records, metrics and
 * traces read it too); it is delivered through `GatewayServices.outcomes`.
 */
export interface RequestOutcome {
  requestId: string;
  /** Epoch ms when the request arrived. */
  startedAt: number;
  /** Inbound protocol name: 'openai' | 'ollama' | 'anthropic' | 'responses'; 'none' outside any (health, unknown paths). */
  protocol: string;
  /** The route, e.g. '/v1/chat/completions'. */
  route: string;
  /** The model name the client asked for. */
  requestedModel?: string;
  /** The client key's name. */
  keyName?: string;
  attempts: UpstreamAttempt[];
  /** Provider id that answered (last attempt). */
  provider?: string;
  upstreamModel?: string;
  /** HTTP status sent to the client (499 for a client abort). */
  status: number;
  result: OutcomeResult;
  errorKind?: GatewayErrorKind;
  errorMessage?: string;
  streamed: boolean;
  /** Partial on abort: counted from what was streamed. */
  usage?: Usage;
  /** Measured by llmux: request arrival → first output byte written (successful answers only). */
  ttftMs?: number;
  /** The upstream's own timing, kept beside. */
  upstreamTiming?: Timing;
  totalMs: number;
  /** Time inside llmux minus upstream and retry waits. */
  overheadMs: number;
  /** Response body bytes written to the client (headers not counted). */
  bytesOut: number;
  degraded: DegradedField[];
}
