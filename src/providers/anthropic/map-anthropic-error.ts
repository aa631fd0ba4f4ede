import { GatewayError, gatewayErrorKindForUpstreamStatus, type GatewayErrorKind } from '../../canonical/gateway-error.ts';
import { headerValue, type UpstreamResponse } from '../../wire/upstream-http-client.ts';
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
  let message = body?.error.message ?? (input.text.trim().slice(0, SHOWN_TEXT) || `the upstream answered HTTP ${input.status} with no message`);
  if (input.status === 401) message = `provider '${input.providerId}' rejected the API key llmux is configured with: ${message} (check its api_key)`;
  else if (input.status === 403) message = `provider '${input.providerId}' refused the request made with the API key llmux is configured with: ${message}`;
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

/** `retry-after` in seconds or as an HTTP date (the Anthropic SDK also reads `retry-after-ms`). */
function retryAfterSeconds(headers: UpstreamResponse['headers']): number | undefined {
  const milliseconds = Number.parseFloat(headerValue(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds / 1000;
  const value = headerValue(headers, 'retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
