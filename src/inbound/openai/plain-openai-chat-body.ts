import type { OpenAIPlainMessage } from '../../providers/provider-adapter.ts';
import { KNOWN_OPENAI_CHAT_FIELDS, OPENAI_REASONING_EFFORTS, type OpenAIChatRequest } from './openai-chat-request-schema.ts';
import { hasPlainFields, inRange, isBoolean, isRecord, isString, type Check } from '../plain-field-checks.ts';

/** A `/v1/chat/completions` body of plain text turns and simple scalar fields (see isPlainOpenAIChatBody). */
export type PlainOpenAIChatBody = OpenAIChatRequest & { messages: OpenAIPlainMessage[] };

const isInteger: Check = (value) => Number.isSafeInteger(value);
const isNonNegativeInteger: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const EFFORTS: ReadonlySet<unknown> = new Set(OPENAI_REASONING_EFFORTS);

/**
 * The known fields a plain body may hold, each checked as strictly as `openAIChatRequestSchema`
 * checks it (a value passing here passes the schema unchanged). Known fields missing here (tools,
 * response_format, modalities, audio, reasoning, extra_body…) make the body unusual. Unknown
 * top-level fields are allowed: the schema keeps them as they are, and the canonical conversion
 * reads them (the provider's dialect then sends or declares each).
 */
const PLAIN_FIELDS: Record<string, Check> = {
  model: (value) => typeof value === 'string' && value.length > 0,
  messages: (value) => Array.isArray(value) && value.length > 0 && value.every(isPlainMessage),
  stream: isBoolean,
  stream_options: (value) => isRecord(value) && (value['include_usage'] === undefined || typeof value['include_usage'] === 'boolean'),
  max_tokens: isNonNegativeInteger,
  max_completion_tokens: isNonNegativeInteger,
  temperature: inRange(0, 2),
  top_p: inRange(0, 1),
  stop: (value) => typeof value === 'string' || (Array.isArray(value) && value.every(isString)),
  seed: isInteger,
  frequency_penalty: inRange(-2, 2),
  presence_penalty: inRange(-2, 2),
  // More than one choice is refused by the canonical conversion; that refusal is its to give.
  n: (value) => value === 1,
  user: isString,
  logprobs: isBoolean,
  top_logprobs: (value) => isInteger(value) && (value as number) >= 0 && (value as number) <= 20,
  reasoning_effort: (value) => EFFORTS.has(value),
  top_k: isNonNegativeInteger,
  min_p: inRange(0, 1),
  repetition_penalty: isNumber,
};

const PLAIN_ROLES: ReadonlySet<unknown> = new Set(['system', 'developer', 'user', 'assistant']);

/**
 * Whether a raw (JSON-parsed) chat body is one the schema would accept unchanged and whose
 * messages are plain text turns: `{role: system|developer|user|assistant, content: string, name?}`
 * and nothing else. Such a body needs no zod pass, and its messages are exactly what the canonical
 * request holds, so a provider speaking OpenAI chat completions may send them as they are (the
 * same-protocol fast path). Anything unusual — tool calls, content parts, nulls, a field out of
 * range — returns false and takes the schema and the canonical path, with its errors.
 */
export function isPlainOpenAIChatBody(body: unknown): body is PlainOpenAIChatBody {
  return isRecord(body) && body['model'] !== undefined && body['messages'] !== undefined && hasPlainFields(body, PLAIN_FIELDS, KNOWN_OPENAI_CHAT_FIELDS);
}

function isPlainMessage(message: unknown): boolean {
  if (!isRecord(message) || !PLAIN_ROLES.has(message['role']) || typeof message['content'] !== 'string') return false;
  let keys = 0;
  for (const key in message) {
    keys++;
    if (key !== 'role' && key !== 'content' && (key !== 'name' || typeof message['name'] !== 'string')) return false;
  }
  return keys <= 3;
}
