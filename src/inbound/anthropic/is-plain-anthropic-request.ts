import { hasPlainFields, inRange, isBoolean, isRecord, isString, orNull, type Check } from '../plain-field-checks.ts';
import { ANTHROPIC_KNOWN_REQUEST_FIELDS, type AnthropicMessagesRequest } from './anthropic-messages-request-schema.ts';

const isUnitInterval = inRange(0, 1);

/**
 * The fields a plain body may carry, each with a check as strict as the schema's (all nullish in
 * the schema but `model`, `messages` and `max_tokens`). A field the schema knows but this does not
 * name (`output_config`, `output_format`) sends the body to the schema; a field neither knows is
 * allowed, as the schema keeps it as it is.
 */
const PLAIN_FIELDS: Record<string, Check> = {
  model: (value) => isNonEmptyString(value),
  max_tokens: (value) => Number.isSafeInteger(value) && (value as number) >= 1,
  messages: (value) => everyItem(value, isPlainMessage),
  system: orNull((value) => typeof value === 'string' || everyItem(value, isPlainTextBlock)),
  stream: orNull(isBoolean),
  stop_sequences: orNull((value) => everyItem(value, isString)),
  temperature: orNull(isUnitInterval),
  top_p: orNull(isUnitInterval),
  top_k: orNull((value) => Number.isSafeInteger(value) && (value as number) >= 0),
  metadata: orNull((value) => hasOnly(value, METADATA_FIELDS)),
  service_tier: orNull(isString),
  tools: orNull((value) => everyItem(value, (tool) => hasOnly(tool, TOOL_FIELDS) && (tool as Record<string, unknown>).name !== undefined)),
  tool_choice: orNull(isPlainToolChoice),
  thinking: orNull(isPlainThinking),
};

/**
 * A cheap structural check for the `/v1/messages` bodies clients send — text turns, Claude Code's
 * turns with their tools, tool calls and results, signed thinking and cache breakpoints, the
 * sampling fields — that `anthropicMessagesRequestSchema` provably accepts unchanged: every field
 * and every block passes a check as strict as the schema's, and every object holds only the
 * fields this names (unknown fields are allowed only at the top level, where the converter
 * declares them). What passes is used as the parsed body (the zod pass and its copy are skipped:
 * on a 47 KB Claude Code turn that pass cost about as much as JSON.parse); anything else goes
 * through the schema, which stays the truth for everything unusual (images, documents, server
 * tools, citations) and words the errors. `is-plain-anthropic-request.test.ts` checks, on
 * thousands of valid and invalid bodies, that what passes the schema accepts and gives back equal,
 * and that both convert to the same canonical request.
 */
export function isPlainAnthropicRequest(body: unknown): body is AnthropicMessagesRequest {
  return isRecord(body) && body.model !== undefined && body.max_tokens !== undefined && body.messages !== undefined && hasPlainFields(body, PLAIN_FIELDS, ANTHROPIC_KNOWN_REQUEST_FIELDS);
}

const METADATA_FIELDS: Record<string, Check> = { user_id: orNull(isString) };

const TOOL_FIELDS: Record<string, Check> = {
  name: isNonEmptyString,
  description: orNull(isString),
  // Optional but not nullable in the schema; a loose object whose `type`, if any, is a string.
  input_schema: (value) => isRecord(value) && (value.type === undefined || typeof value.type === 'string'),
  type: orNull(isString),
  cache_control: isPlainCacheControl,
  strict: orNull(isBoolean),
};

function isPlainMessage(message: unknown): boolean {
  if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) return false;
  for (const field in message) {
    if (field !== 'role' && field !== 'content') return false;
  }
  const content = message.content;
  if (typeof content === 'string') return true;
  return Array.isArray(content) && content.length > 0 && everyItem(content, isPlainBlock);
}

/** The blocks of a Claude Code conversation; images, documents, server tool blocks and citations go to the schema. */
function isPlainBlock(block: unknown): boolean {
  if (!isRecord(block)) return false;
  switch (block.type) {
    case 'text':
      return isPlainTextBlock(block);
    case 'tool_use':
      return hasOnly(block, TOOL_USE_FIELDS) && block.id !== undefined && block.name !== undefined && block.input !== undefined;
    case 'tool_result':
      return hasOnly(block, TOOL_RESULT_FIELDS) && block.tool_use_id !== undefined;
    case 'thinking':
      return hasOnly(block, THINKING_BLOCK_FIELDS) && block.thinking !== undefined;
    case 'redacted_thinking':
      return hasOnly(block, REDACTED_THINKING_FIELDS) && block.data !== undefined;
    default:
      return false;
  }
}

const isType = (type: string): Check => (value) => value === type;

const TEXT_BLOCK_FIELDS: Record<string, Check> = { type: isType('text'), text: isString, cache_control: isPlainCacheControl };

function isPlainTextBlock(block: unknown): boolean {
  return hasOnly(block, TEXT_BLOCK_FIELDS) && (block as Record<string, unknown>).text !== undefined;
}

const TOOL_USE_FIELDS: Record<string, Check> = {
  type: isType('tool_use'),
  id: isNonEmptyString,
  name: isNonEmptyString,
  input: isRecord,
  cache_control: isPlainCacheControl,
};

const TOOL_RESULT_FIELDS: Record<string, Check> = {
  type: isType('tool_result'),
  tool_use_id: isNonEmptyString,
  // Optional but not nullable; the blocks inside are loose objects with a string `type` (the converter refuses unknown ones by type).
  content: (value) => typeof value === 'string' || everyItem(value, (item) => isRecord(item) && typeof item.type === 'string'),
  is_error: orNull(isBoolean),
  cache_control: isPlainCacheControl,
};

const THINKING_BLOCK_FIELDS: Record<string, Check> = {
  type: isType('thinking'),
  thinking: isString,
  signature: orNull(isString),
};

const REDACTED_THINKING_FIELDS: Record<string, Check> = { type: isType('redacted_thinking'), data: isString };

/** `cache_control`: null, or `{type, ttl?}` with strings (ttl optional, not nullable). */
function isPlainCacheControl(value: unknown): boolean {
  return value === null || (hasOnly(value, CACHE_CONTROL_FIELDS) && (value as Record<string, unknown>).type !== undefined);
}
const CACHE_CONTROL_FIELDS: Record<string, Check> = { type: isString, ttl: isString };

function isPlainToolChoice(value: unknown): boolean {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'auto':
    case 'any':
      return hasOnly(value, TOOL_CHOICE_FIELDS) && value.name === undefined;
    case 'tool':
      return hasOnly(value, TOOL_CHOICE_FIELDS) && value.name !== undefined;
    case 'none':
      return hasOnly(value, { type: isType('none') });
    default:
      return false;
  }
}
const TOOL_CHOICE_FIELDS: Record<string, Check> = {
  type: isString,
  name: isNonEmptyString,
  disable_parallel_tool_use: orNull(isBoolean),
};

function isPlainThinking(value: unknown): boolean {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'enabled':
      return hasOnly(value, ENABLED_THINKING_FIELDS) && value.budget_tokens !== undefined;
    case 'disabled':
      return hasOnly(value, { type: isType('disabled') });
    default:
      return false;
  }
}
const ENABLED_THINKING_FIELDS: Record<string, Check> = {
  type: isType('enabled'),
  budget_tokens: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  display: orNull(isString),
};

/** An object holding only fields `checks` names, each passing its check (absent fields are not checked). */
function hasOnly(value: unknown, checks: Record<string, Check>): boolean {
  if (!isRecord(value)) return false;
  for (const field in value) {
    if (!Object.hasOwn(checks, field)) return false;
    const check = checks[field];
    if (check === undefined || !check(value[field])) return false;
  }
  return true;
}

function everyItem(value: unknown, check: Check): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) {
    if (!check(item)) return false;
  }
  return true;
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}
