import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ResponseFormat } from '../../canonical/response-format.ts';
import { quoteClientText } from '../../canonical/quote-client-text.ts';

/**
 * Ollama `format` → canonical structured output: `"json"` is any JSON object, an object is a JSON
 * schema, and `""` or null is plain text. Anything else is refused with Ollama's wording.
 * https://github.com/ollama/ollama/blob/main/llm/llama_server.go (llamaServerChatResponseFormat)
 */
export function convertOllamaFormat(format: unknown): ResponseFormat | undefined {
  if (format === undefined || format === null || format === '') return undefined;
  if (format === 'json') return { type: 'json' };
  if (typeof format === 'object' && !Array.isArray(format)) {
    return { type: 'json-schema', schema: format as Record<string, unknown> };
  }
  // Go prints the raw JSON bytes with %q, hence the doubly quoted value.
  throw new GatewayError('invalid_request', `invalid format: ${quoteClientText(JSON.stringify(format))}; expected "json" or a valid JSON Schema object`, {
    param: 'format',
  });
}
