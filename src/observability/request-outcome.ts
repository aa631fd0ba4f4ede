import type { GatewayErrorKind } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { DegradedField } from '../canonical/degraded-field.ts';
import type { Usage } from '../canonical/usage.ts';

export interface UpstreamAttempt {
  provider: string; // configured provider id
  providerType: string; // its type
  model: string; // upstream model id
  status: number; // upstream HTTP status, or the mapped GatewayError status; 200 for success
  ms: number;
  errorKind?: GatewayErrorKind;
}

export type OutcomeResult = 'success' | 'error' | 'client_abort' | 'drain_cut';

/** Everything known about one request once its socket closed; usage records, metrics, traces and the access log are built from it. */
export interface RequestOutcome {
  requestId: string;
  startedAt: number; // epoch ms when the request arrived
  protocol: string; // inbound protocol name: 'openai' | 'ollama' | 'anthropic' | 'responses'
  route: string; // e.g. '/v1/chat/completions'
  requestedModel?: string; // the name the client asked for
  keyName?: string; // the client key's name
  attempts: UpstreamAttempt[];
  provider?: string; // provider id that answered (last attempt)
  upstreamModel?: string;
  status: number; // HTTP status sent to the client (499 for a client abort)
  result: OutcomeResult;
  errorKind?: GatewayErrorKind;
  errorMessage?: string;
  streamed: boolean;
  usage?: Usage; // partial on abort: counted from what was streamed
  ttftMs?: number; // measured by llmux: request arrival → first output byte written
  upstreamTiming?: Timing; // the upstream's own timing, kept beside
  totalMs: number;
  overheadMs: number; // time inside llmux minus upstream and retry waits
  bytesOut: number;
  degraded: DegradedField[];
}
