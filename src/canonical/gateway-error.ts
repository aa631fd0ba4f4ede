import { clipText, MAX_ERROR_MESSAGE_CHARS } from './quote-client-text.ts';

/**
 * Every failure llmux reports, whatever its source. Inbound protocols turn it into their own
 * error shape and status; routing reads `retryable` to decide on retries and fallbacks.
 */
export type GatewayErrorKind =
  | 'invalid_request' // 400: the client's request is wrong
  | 'authentication' // 401
  | 'payment_required' // 402: no credits/points left upstream
  | 'permission' // 403
  | 'not_found' // 404: unknown model or route
  | 'request_too_large' // 413
  | 'unprocessable' // 422
  | 'rate_limit' // 429
  | 'timeout' // 504: upstream did not answer in time
  | 'overloaded' // 502: the upstream said it is overloaded (its 503 or 529)
  | 'upstream' // 502: upstream failed or answered garbage
  | 'canceled' // 499: the client went away
  | 'internal'; // 500: a bug in llmux

const STATUS_BY_KIND: Record<GatewayErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  payment_required: 402,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  unprocessable: 422,
  rate_limit: 429,
  timeout: 504,
  overloaded: 502,
  upstream: 502,
  canceled: 499,
  internal: 500,
};

const RETRYABLE_KINDS = new Set<GatewayErrorKind>(['rate_limit', 'timeout', 'overloaded', 'upstream']);

export interface GatewayErrorOptions {
  /** HTTP status to answer with; defaults from the kind. */
  status?: number;
  /** Whether trying again (same or another target) may succeed; defaults from the kind. */
  retryable?: boolean;
  /** Seconds the upstream asked us to wait (`retry-after`). */
  retryAfterSeconds?: number;
  /** The request field at fault, for OpenAI's `param`. */
  param?: string;
  /** A machine-readable code, for OpenAI's `code`. */
  code?: string;
  /** The upstream status, kept for logs. */
  upstreamStatus?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly kind: GatewayErrorKind;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly param: string | undefined;
  readonly code: string | undefined;
  readonly upstreamStatus: number | undefined;

  constructor(kind: GatewayErrorKind, message: string, options: GatewayErrorOptions = {}) {
    // Messages quote clients and upstreams; bounded, so no answer or log line grows with their input.
    super(clipText(message, MAX_ERROR_MESSAGE_CHARS), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.kind = kind;
    this.status = options.status ?? STATUS_BY_KIND[kind];
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(kind);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param;
    this.code = options.code;
    this.upstreamStatus = options.upstreamStatus;
  }
}

/** Any thrown value as a GatewayError; unknown errors become `internal`. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError('internal', message, { cause: error });
}

/**
 * The kind for an upstream HTTP status. Upstream 5xx become 502 (the upstream failed, not
 * llmux); 401/403 from the upstream mean llmux's provider key is wrong, still reported as such.
 */
export function gatewayErrorKindForUpstreamStatus(status: number): GatewayErrorKind {
  if (status === 400) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 402) return 'payment_required';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'request_too_large';
  if (status === 422) return 'unprocessable';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'upstream';
  return 'invalid_request';
}
