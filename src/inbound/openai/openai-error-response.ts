import type { GatewayError, GatewayErrorKind } from '../../canonical/gateway-error.ts';
import type { ProtocolErrorBody } from '../../server/register-protocol-scope.ts';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * OpenAI's error `type` for each kind, as api.openai.com spells them (openai-node maps errors by
 * status, but clients such as LangChain and LiteLLM also read `type`). Running out of credits is
 * OpenAI's `insufficient_quota`, which clients treat as "do not retry"; an unknown model is a 404
 * typed `invalid_request_error` with code `model_not_found`, as OpenAI answers it.
 */
const TYPE_BY_KIND: Record<GatewayErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  payment_required: 'insufficient_quota',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  unprocessable: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  timeout: 'timeout',
  overloaded: 'server_error',
  upstream: 'api_error',
  canceled: 'api_error',
  internal: 'api_error',
};

/** The `{"error":{…}}` object, for HTTP error bodies and for an error in the middle of a stream. */
export function openAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return {
    error: {
      message: error.message,
      type: TYPE_BY_KIND[error.kind],
      param: error.param ?? null,
      code: error.code ?? (error.kind === 'payment_required' ? 'insufficient_quota' : null),
    },
  };
}

/** The protocol's formatError: status from the GatewayError (retry-after is added by the server). */
export function formatOpenAIError(error: GatewayError): ProtocolErrorBody {
  return { status: error.status, body: openAIErrorBody(error) };
}
