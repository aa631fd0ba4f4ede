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

/** Where a request's fields with no canonical home go. */
export interface OpenAIUnmappedFields {
  unmappedFields?: Record<string, unknown>;
  providerOptions?: Record<string, Record<string, unknown>>;
}

/**
 * Top-level fields OpenAI does not define have no canonical home: the Python SDK merges
 * `extra_body` into the top level, so that is where they arrive, and a literal `extra_body` object
 * (sent by clients that do not merge it) is opened up the same way. They become
 * `unmappedFields`, which each provider sends only where it knows them (or its config passes them
 * through) and declares otherwise. `provider_options` (`{"poe": {...}}`) are options for one
 * provider type. A `__proto__` key (which JSON.parse keeps as an own field) is never copied:
 * assigning it would set a prototype.
 */
export function collectOpenAIUnmappedFields(body: Record<string, unknown>, known: ReadonlySet<string>, into: OpenAIUnmappedFields): void {
  // Walked in place, and the field bag made only when a first field goes in: most bodies have none.
  let fields: Record<string, unknown> | undefined;
  for (const key in body) if (Object.hasOwn(body, key) && !known.has(key)) fields = takeUnmapped(key, body[key], fields, into);
  const extraBody = body.extra_body;
  if (isRecord(extraBody)) for (const key in extraBody) if (Object.hasOwn(extraBody, key)) fields = takeUnmapped(key, extraBody[key], fields, into);
  if (fields !== undefined) into.unmappedFields = fields;
}

/** One field with no canonical home: into `fields` (made if need be), or `provider_options` into `into`; returns `fields`. */
function takeUnmapped(key: string, value: unknown, fields: Record<string, unknown> | undefined, into: OpenAIUnmappedFields): Record<string, unknown> | undefined {
  if (key === '__proto__') return fields;
  if (key === 'provider_options') {
    const options = providerOptions(value);
    if (options !== undefined) into.providerOptions = { ...into.providerOptions, ...options };
    return fields;
  }
  const taken = fields ?? {};
  taken[key] = value;
  return taken;
}

function providerOptions(value: unknown): Record<string, Record<string, unknown>> | undefined {
  if (!isRecord(value)) {
    throw new GatewayError('invalid_request', 'provider_options: expected an object keyed by provider type, e.g. {"poe": {"parameters": {…}}}', { param: 'provider_options' });
  }
  const options: Record<string, Record<string, unknown>> = {};
  for (const [type, entry] of Object.entries(value)) {
    if (type === '__proto__') continue;
    if (!isRecord(entry)) throw new GatewayError('invalid_request', `provider_options.${type}: expected an object`, { param: `provider_options.${type}` });
    options[type] = entry;
  }
  return options;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
