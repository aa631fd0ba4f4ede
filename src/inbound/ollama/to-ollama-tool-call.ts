import { GatewayError } from '../../canonical/gateway-error.ts';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../../wire/json-nesting-depth.ts';

export interface OllamaToolCallOut {
  id: string;
  function: { index: number; name: string; arguments: Record<string, unknown> };
}

/**
 * A whole tool call in Ollama's shape: arguments as an object (ollama-python and the Vercel
 * provider validate a dict/record), `function.index` always present, and the id Ollama gives.
 * Arguments that are not a JSON object are an upstream fault and reported as such.
 */
export function toOllamaToolCall(id: string, name: string, argumentsText: string, index: number): OllamaToolCallOut {
  let parsed: unknown = {};
  if (jsonNestingDepth(argumentsText, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new GatewayError('upstream', `the model called tool '${name}' with arguments nested deeper than ${MAX_JSON_DEPTH} levels`, { retryable: false });
  }
  if (argumentsText.trim().length > 0) {
    try {
      parsed = JSON.parse(argumentsText);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GatewayError('upstream', `the model called tool '${name}' with arguments that are not a JSON object: ${argumentsText.slice(0, 200)}`, {
      retryable: false,
    });
  }
  return { id, function: { index, name, arguments: parsed as Record<string, unknown> } };
}
