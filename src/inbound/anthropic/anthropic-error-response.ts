import type { GatewayError, GatewayErrorKind } from '../../canonical/gateway-error.ts';
import type { ProtocolErrorBody } from '../../server/register-protocol-scope.ts';

/**
 * Anthropic's error types and statuses (anthropic-sdk-typescript src/resources/shared.ts ErrorType;
 * docs.anthropic.com/en/api/errors): an overloaded upstream is `overloaded_error` with 529, the
 * status Anthropic clients (Claude Code among them) know to retry.
 */
const TYPE_BY_KIND: Record<GatewayErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  payment_required: 'billing_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  unprocessable: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  timeout: 'timeout_error',
  overloaded: 'overloaded_error',
  upstream: 'api_error',
  canceled: 'api_error',
  internal: 'api_error',
};

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export function anthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: TYPE_BY_KIND[error.kind], message: error.message } };
}

export function formatAnthropicError(error: GatewayError): ProtocolErrorBody {
  return { status: error.kind === 'overloaded' ? 529 : error.status, body: anthropicErrorBody(error) };
}
