import { OPENAI_REASONING_EFFORTS } from '../openai-chat-request-schema.ts';
import { hasPlainFields, inRange, isBoolean, isRecord, isString, type Check } from '../../plain-field-checks.ts';
import { KNOWN_RESPONSES_FIELDS, type ResponsesRequest } from './responses-request-schema.ts';

const isNonEmptyString: Check = (value) => typeof value === 'string' && value.length > 0;
const isPositiveInteger: Check = (value) => Number.isSafeInteger(value) && (value as number) > 0;
const oneOf = (values: readonly string[]): Check => {
  const allowed: ReadonlySet<unknown> = new Set(values);
  return (value) => allowed.has(value);
};

const REASONING_FIELDS: Record<string, Check> = {
  effort: oneOf(OPENAI_REASONING_EFFORTS),
  summary: oneOf(['auto', 'concise', 'detailed', 'none']),
  generate_summary: oneOf(['auto', 'concise', 'detailed']),
};

const TEXT_FIELDS: Record<string, Check> = {
  // Only the formats whose schema object has `type` alone: the envelope echoes the format as given.
  format: (value) => isRecord(value) && (value['type'] === 'text' || value['type'] === 'json_object') && hasOnlyKeys(value, ONLY_TYPE),
  verbosity: oneOf(['low', 'medium', 'high']),
};

/**
 * The known fields a plain body may hold, each checked as strictly as `responsesRequestSchema`
 * checks it, and only where the schema's output is the value as sent (a value passing here passes
 * the schema unchanged). `null` is never plain. Known fields missing here (tools, metadata,
 * stream_options, conversation, prompt) make the body unusual: the schema rebuilds those
 * objects (dropping keys it does not know), and the envelope echoes them. Unknown top-level fields
 * are allowed: the schema keeps them as they are, in their order, after the known ones, and only
 * they are ever walked in order (collectOpenAIUnmappedFields).
 */
const PLAIN_FIELDS: Record<string, Check> = {
  model: isNonEmptyString,
  input: (value) => typeof value === 'string' || (Array.isArray(value) && value.every(isPlainInputItem)),
  instructions: isString,
  // A function or built-in tool choice is an object the schema rebuilds: unusual.
  tool_choice: oneOf(['none', 'auto', 'required']),
  parallel_tool_calls: isBoolean,
  max_output_tokens: isPositiveInteger,
  temperature: inRange(0, 2),
  top_p: inRange(0, 1),
  reasoning: (value) => isPlainObject(value, REASONING_FIELDS),
  text: (value) => isPlainObject(value, TEXT_FIELDS),
  include: (value) => Array.isArray(value) && value.every(isString),
  store: isBoolean,
  stream: isBoolean,
  previous_response_id: isNonEmptyString,
  user: isString,
  safety_identifier: isString,
  prompt_cache_key: isString,
  truncation: oneOf(['auto', 'disabled']),
  service_tier: isString,
  background: isBoolean,
  top_logprobs: (value) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 20,
  max_tool_calls: isPositiveInteger,
};

const MESSAGE_ROLES: ReadonlySet<unknown> = new Set(['user', 'assistant', 'system', 'developer']);
const TEXT_PART_TYPES: ReadonlySet<unknown> = new Set(['input_text', 'output_text']);
const ONLY_TYPE = ['type'] as const;
/** A plain message item's keys, in the order the schema's output gives them. */
const MESSAGE_KEYS = ['type', 'role', 'content'] as const;
const TEXT_PART_KEYS = ['type', 'text'] as const;

/**
 * Whether a raw (JSON-parsed) `/v1/responses` body is one the schema would accept and give back
 * unchanged: simple scalar fields, and `input` as a string or as message items of text
 * (`{type: 'message', role, content: string | [{type: 'input_text' | 'output_text', text}]}`, keys
 * in that order, as Codex and the SDKs write them; the schema would rebuild an item in that order,
 * and a stored item keeps it). Such a body needs no zod pass: it converts and is stored exactly as
 * the parsed one would be. Anything unusual — another item type, a null, a field out of range, an
 * item written in another key order — returns false and takes the schema, with its errors.
 */
export function isPlainResponsesBody(body: unknown): body is ResponsesRequest {
  return isRecord(body) && body['model'] !== undefined && hasPlainFields(body, PLAIN_FIELDS, KNOWN_RESPONSES_FIELDS);
}

function isPlainInputItem(item: unknown): boolean {
  if (!isRecord(item) || item['type'] !== 'message' || !MESSAGE_ROLES.has(item['role']) || !hasKeysInOrder(item, MESSAGE_KEYS)) return false;
  const content = item['content'];
  return typeof content === 'string' || (Array.isArray(content) && content.every(isPlainTextPart));
}

function isPlainTextPart(part: unknown): boolean {
  return isRecord(part) && TEXT_PART_TYPES.has(part['type']) && typeof part['text'] === 'string' && hasKeysInOrder(part, TEXT_PART_KEYS);
}

/** An object of known optional fields, each present one valid and not null. */
function isPlainObject(value: unknown, fields: Record<string, Check>): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(fields, key) || !(fields[key] as Check)(value[key])) return false;
  }
  return true;
}

/** Exactly these keys, in this order. */
function hasKeysInOrder(value: Record<string, unknown>, keys: readonly string[]): boolean {
  let index = 0;
  for (const key in value) {
    if (key !== keys[index]) return false;
    index++;
  }
  return index === keys.length;
}

/** These keys and no others. */
function hasOnlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key in value) if (!keys.includes(key)) return false;
  return true;
}
