import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertOllamaFormat } from './convert-ollama-format.ts';
import { convertOllamaOptions } from './convert-ollama-options.ts';
import { convertOllamaThink } from './convert-ollama-think.ts';

export type OllamaGenerationSettings = Omit<ChatRequest, 'model' | 'messages' | 'stream'>;

interface GenerationFields {
  format?: unknown;
  options?: Record<string, unknown> | null | undefined;
  think?: unknown;
  logprobs?: boolean | null | undefined;
  top_logprobs?: number | null | undefined;
  keep_alive?: unknown;
  truncate?: boolean | null | undefined;
  shift?: boolean | null | undefined;
}

/**
 * What /api/chat and /api/generate share: `options`, `think`, `format` and log probabilities;
 * `keep_alive`, `truncate` and `shift` mean something only to an upstream Ollama, so they travel
 * as its provider options (other providers leave them alone).
 */
export function convertOllamaGenerationSettings(body: GenerationFields): OllamaGenerationSettings {
  const topLogprobs = body.top_logprobs ?? 0;
  if (topLogprobs < 0 || topLogprobs > 20) {
    throw new GatewayError('invalid_request', 'top_logprobs must be between 0 and 20', { param: 'top_logprobs' });
  }
  const settings: OllamaGenerationSettings = convertOllamaOptions(body.options);
  const reasoning = convertOllamaThink(body.think);
  if (reasoning !== undefined) settings.reasoning = reasoning;
  const responseFormat = convertOllamaFormat(body.format);
  if (responseFormat !== undefined) settings.responseFormat = responseFormat;
  if (body.logprobs === true) {
    settings.logprobs = true;
    if (topLogprobs > 0) settings.topLogprobs = topLogprobs;
  }
  const ollama: Record<string, unknown> = {};
  if (body.keep_alive !== undefined && body.keep_alive !== null) ollama.keep_alive = body.keep_alive;
  if (typeof body.truncate === 'boolean') ollama.truncate = body.truncate;
  if (typeof body.shift === 'boolean') ollama.shift = body.shift;
  if (Object.keys(ollama).length > 0) settings.providerOptions = { ollama };
  return settings;
}
