import type { AnthropicMessagesRequest } from './anthropic-messages-request-schema.ts';

/** The fields a plain body may carry; any other (tools, thinking, a field a newer client adds…) goes to the schema. */
const PLAIN_FIELDS = new Set(['model', 'messages', 'max_tokens', 'system', 'stream', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'metadata', 'service_tier']);

/**
 * A cheap structural check for the `/v1/messages` bodies most clients send — text turns, a text
 * system prompt, the sampling fields — that `anthropicMessagesRequestSchema` provably accepts
 * unchanged: every field is one of PLAIN_FIELDS with the type and bounds the schema asks for, and
 * every block is a bare text block. What passes is used as the parsed body (the zod pass and its
 * copy are skipped); anything else goes through the schema, which stays the truth for everything
 * unusual and words the errors. `is-plain-anthropic-request.test.ts` checks both give the same
 * canonical request.
 */
export function isPlainAnthropicRequest(body: unknown): body is AnthropicMessagesRequest {
  if (!isRecord(body)) return false;
  for (const field in body) {
    if (!PLAIN_FIELDS.has(field)) return false;
  }
  if (typeof body.model !== 'string' || body.model.length === 0) return false;
  if (!Number.isSafeInteger(body.max_tokens) || (body.max_tokens as number) < 1) return false;
  if (!isAbsent(body.system) && typeof body.system !== 'string') return false;
  if (!isAbsent(body.stream) && typeof body.stream !== 'boolean') return false;
  if (!isAbsent(body.service_tier) && typeof body.service_tier !== 'string') return false;
  if (!isAbsent(body.temperature) && !isUnitInterval(body.temperature)) return false;
  if (!isAbsent(body.top_p) && !isUnitInterval(body.top_p)) return false;
  if (!isAbsent(body.top_k) && !(Number.isSafeInteger(body.top_k) && (body.top_k as number) >= 0)) return false;
  if (!isAbsent(body.stop_sequences) && !isStringArray(body.stop_sequences)) return false;
  if (!isAbsent(body.metadata) && !isPlainMetadata(body.metadata)) return false;
  const messages = body.messages;
  if (!Array.isArray(messages)) return false;
  for (const message of messages) {
    if (!isPlainMessage(message)) return false;
  }
  return true;
}

function isPlainMessage(message: unknown): boolean {
  if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) return false;
  for (const field in message) {
    if (field !== 'role' && field !== 'content') return false;
  }
  const content = message.content;
  if (typeof content === 'string') return true;
  if (!Array.isArray(content) || content.length === 0) return false;
  for (const block of content) {
    if (!isBareTextBlock(block)) return false;
  }
  return true;
}

/** `{"type":"text","text":"…"}` and nothing else (no cache_control, no citations). */
function isBareTextBlock(block: unknown): boolean {
  if (!isRecord(block) || block.type !== 'text' || typeof block.text !== 'string') return false;
  for (const field in block) {
    if (field !== 'type' && field !== 'text') return false;
  }
  return true;
}

function isPlainMetadata(metadata: unknown): boolean {
  if (!isRecord(metadata)) return false;
  for (const field in metadata) {
    if (field !== 'user_id') return false;
  }
  return isAbsent(metadata.user_id) || typeof metadata.user_id === 'string';
}

function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) {
    if (typeof item !== 'string') return false;
  }
  return true;
}

function isUnitInterval(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}
