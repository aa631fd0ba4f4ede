import type { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProtocolErrorBody } from '../../server/register-protocol-scope.ts';

/**
 * Ollama's error shape: `{"error":"…"}` as `application/json; charset=utf-8`, with the status the
 * error carries (404 unknown model, 400 bad request, upstream statuses mapped, 499 canceled).
 */
export function formatOllamaError(error: GatewayError): ProtocolErrorBody {
  return {
    status: error.status,
    body: { error: error.message.length > 0 ? error.message : 'something went wrong, please see the llmux logs for details' },
    headers: { 'content-type': 'application/json; charset=utf-8' },
  };
}
