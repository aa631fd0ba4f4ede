import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';

/**
 * A `response_format` JSON schema cannot be honoured on Poe: its OpenAI-compatible API ignores it
 * ("response_format … json_schema unsupported",
 * https://creator.poe.com/docs/external-applications/openai-compatible-api; structured outputs
 * exist only on Poe's `/v1/responses` as `text.format`), and the bot protocol has no such field
 * (fastapi_poe types.py `QueryRequest`). Dropping it would hand the client free text with a 200
 * where it asked for schema-valid JSON, so the request is refused with a 400 naming the field.
 */
export function refusePoeJsonSchema(request: ChatRequest, providerId: string): void {
  if (request.responseFormat?.type !== 'json-schema') return;
  throw new GatewayError(
    'invalid_request',
    `response_format json_schema is not supported by provider '${providerId}' (Poe ignores it and would answer free text); ask for JSON in the prompt, or route this model to a provider with structured outputs`,
    { param: 'response_format', code: 'unsupported_parameter', retryable: false },
  );
}
