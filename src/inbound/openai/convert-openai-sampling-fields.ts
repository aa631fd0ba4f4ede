import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { OpenAISamplingFields } from './openai-chat-request-schema.ts';

/**
 * The sampling fields chat and legacy completions share → the canonical request. `n` above 1
 * is refused: answering once when several choices were asked for would silently change the answer.
 */
export function applyOpenAISamplingFields(body: OpenAISamplingFields, request: ChatRequest): void {
  if (body.n != null && body.n > 1) {
    throw new GatewayError('invalid_request', 'n: llmux returns one choice per request; set n to 1 and send several requests instead', {
      param: 'n',
      code: 'unsupported_value',
    });
  }
  if (body.max_tokens != null) request.maxTokens = body.max_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.stop != null) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.seed != null) request.seed = body.seed;
  if (body.frequency_penalty != null) request.frequencyPenalty = body.frequency_penalty;
  if (body.presence_penalty != null) request.presencePenalty = body.presence_penalty;
  if (body.logit_bias != null) request.logitBias = body.logit_bias;
  if (body.user != null) request.user = body.user;
  if (body.top_k != null) request.topK = body.top_k;
  if (body.min_p != null) request.minP = body.min_p;
  if (body.repetition_penalty != null) request.repeatPenalty = body.repetition_penalty;
}

/**
 * Top-level fields OpenAI does not define are provider-specific extras: the Python SDK merges
 * `extra_body` into the top level, so that is where they arrive. A literal `extra_body` object
 * (sent by clients that do not merge it) is opened up the same way. A `__proto__` key (which
 * JSON.parse keeps as an own field) is never copied: assigning it would set a prototype.
 */
export function collectOpenAIExtras(body: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(body)) {
    if (known.has(key) || key === '__proto__') continue;
    extra ??= {};
    extra[key] = body[key];
  }
  const extraBody = body.extra_body;
  if (typeof extraBody === 'object' && extraBody !== null && !Array.isArray(extraBody)) {
    for (const [key, value] of Object.entries(extraBody)) {
      if (key === '__proto__') continue;
      extra ??= {};
      extra[key] = value;
    }
  }
  return extra;
}
