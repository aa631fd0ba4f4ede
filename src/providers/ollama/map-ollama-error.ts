import { GatewayError, gatewayErrorKindForUpstreamStatus } from '../../canonical/gateway-error.ts';
import { ollamaErrorBodySchema } from './ollama-response-schemas.ts';

const LONGEST_TEXT_MESSAGE = 500;

/**
 * An Ollama error answer (`{"error":"…"}`, any status; gin's plain-text 404 for unknown routes)
 * → GatewayError in Ollama's own words. A capability refusal (`… does not support tools`,
 * `"m" does not support thinking`) is the client's 400, not an upstream failure; a full queue
 * (503) and a canceled request (499) keep their meaning.
 */
export function mapOllamaError(status: number, text: string, providerId: string, retryAfter?: number): GatewayError {
  let message: string | undefined;
  try {
    const parsed = ollamaErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) message = parsed.data.error;
  } catch {
    // not JSON: gin's text answers
  }
  message ??= text.trim() === '' ? `HTTP ${status} with no message` : text.trim().slice(0, LONGEST_TEXT_MESSAGE);
  if (status === 401 || status === 403) {
    return new GatewayError(status === 401 ? 'authentication' : 'permission', `provider '${providerId}' (Ollama) refused the API key llmux is configured with: ${message} (check its api_key)`, { upstreamStatus: status });
  }
  if (status === 404 && text.trim() === '404 page not found') {
    return new GatewayError('upstream', `provider '${providerId}' has no Ollama API at its base_url (404 page not found); check base_url`, { upstreamStatus: status, retryable: false });
  }
  if (status === 499) return new GatewayError('upstream', `provider '${providerId}' (Ollama) canceled the request: ${message}`, { upstreamStatus: status });
  const kind = gatewayErrorKindForUpstreamStatus(status);
  const options: ConstructorParameters<typeof GatewayError>[2] = { upstreamStatus: status };
  if (retryAfter !== undefined) options.retryAfterSeconds = retryAfter;
  if (message.includes('does not support')) options.code = 'model_capability';
  return new GatewayError(kind, message, options);
}
