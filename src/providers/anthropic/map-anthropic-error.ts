import { GatewayError, gatewayErrorKindForUpstreamStatus, type GatewayErrorKind } from '../../canonical/gateway-error.ts';
import { keyRefusalMessage } from '../shared/key-refusal-message.ts';
import { retryAfterSeconds } from '../shared/retry-after-seconds.ts';
import { headerValue, type UpstreamResponse } from '../shared/upstream-http-client.ts';
import { anthropicErrorBodySchema } from './anthropic-response-schemas.ts';

/** Anthropic error types (docs.anthropic.com/en/api/errors) for errors without a status (in a stream). */
const KIND_BY_TYPE: Record<string, GatewayErrorKind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  billing_error: 'payment_required',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  timeout_error: 'timeout',
  api_error: 'upstream',
  overloaded_error: 'overloaded',
};

const SHOWN_TEXT = 500;

/**
 * A non-2xx answer → GatewayError with Anthropic's own message. 429 and 529 (overloaded) are
 * retryable and honour `retry-after`; `x-should-retry` (which the SDK obeys) overrides; a 401/403
 * names the provider's key, not the client's.
 */
export function mapAnthropicError(input: { status: number; headers: UpstreamResponse['headers']; text: string; providerId: string }): GatewayError {
  const body = parseBody(input.text);
  const kind = gatewayErrorKindForUpstreamStatus(input.status);
  const upstreamMessage = body?.error.message ?? (input.text.trim().slice(0, SHOWN_TEXT) || `the upstream answered HTTP ${input.status} with no message`);
  const message = keyRefusalMessage(input.status, input.providerId, upstreamMessage) ?? upstreamMessage;
  const options: ConstructorParameters<typeof GatewayError>[2] = { upstreamStatus: input.status };
  if (body?.error.type !== undefined) options.code = body.error.type;
  const retryAfter = retryAfterSeconds(input.headers);
  if (retryAfter !== undefined) options.retryAfterSeconds = retryAfter;
  const shouldRetry = headerValue(input.headers, 'x-should-retry');
  if (shouldRetry === 'true') options.retryable = true;
  else if (shouldRetry === 'false') options.retryable = false;
  return new GatewayError(kind, message, options);
}

/** An `event: error` inside a stream: kind from its error type. */
export function mapAnthropicStreamError(error: { type: string; message: string }): GatewayError {
  return new GatewayError(KIND_BY_TYPE[error.type] ?? 'upstream', error.message, { code: error.type });
}

function parseBody(text: string): { error: { type: string; message: string } } | undefined {
  try {
    const parsed = anthropicErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
