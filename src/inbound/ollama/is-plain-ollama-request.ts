import type { OllamaChatRequest } from './ollama-chat-request-schema.ts';
import type { OllamaGenerateRequest } from './ollama-generate-request-schema.ts';

/**
 * Cheap structural checks for the bodies most clients send — text turns, `options`, the simple
 * flags — that the zod schemas provably accept unchanged: each field the check looks at has the
 * type the schema asks for, and a field the check does not handle (`tools`, `images`,
 * `tool_calls`) sends the body to the schema, which stays the truth for everything unusual (and
 * words the errors). Fields the schemas do not name are ignored by both: the schemas strip them and
 * nothing reads them. What passes is used as the parsed body, so the zod pass and its copy are
 * skipped. `is-plain-ollama-request.test.ts` checks both give the same canonical request.
 */
export function isPlainOllamaChatRequest(body: unknown): body is OllamaChatRequest {
  if (!isRecord(body) || !hasPlainGenerationFields(body)) return false;
  if (!isAbsent(body.tools) && !(Array.isArray(body.tools) && body.tools.length === 0)) return false;
  const messages = body.messages;
  if (isAbsent(messages)) return true;
  if (!Array.isArray(messages)) return false;
  for (const message of messages) {
    if (!isPlainMessage(message)) return false;
  }
  return true;
}

export function isPlainOllamaGenerateRequest(body: unknown): body is OllamaGenerateRequest {
  if (!isRecord(body) || !hasPlainGenerationFields(body)) return false;
  if (!isOptionalString(body.prompt) || !isOptionalString(body.suffix) || !isOptionalString(body.system) || !isOptionalString(body.template)) return false;
  if (!isOptionalBoolean(body.raw) || !isAbsent(body.images)) return false;
  const context = body.context;
  if (isAbsent(context)) return true;
  if (!Array.isArray(context)) return false;
  for (const token of context) {
    if (!Number.isSafeInteger(token)) return false;
  }
  return true;
}

/** The fields /api/chat and /api/generate share (`format`, `keep_alive` and `think` take any value: they are checked where converted). */
function hasPlainGenerationFields(body: Record<string, unknown>): boolean {
  const options = body.options;
  return (
    isOptionalString(body.model) &&
    isOptionalBoolean(body.stream) &&
    (isAbsent(options) || isRecord(options)) &&
    isOptionalBoolean(body.truncate) &&
    isOptionalBoolean(body.shift) &&
    isOptionalBoolean(body.logprobs) &&
    (isAbsent(body.top_logprobs) || Number.isSafeInteger(body.top_logprobs))
  );
}

function isPlainMessage(message: unknown): boolean {
  return (
    isRecord(message) &&
    typeof message.role === 'string' &&
    isOptionalString(message.content) &&
    isOptionalString(message.thinking) &&
    isOptionalString(message.tool_name) &&
    isOptionalString(message.tool_call_id) &&
    isAbsent(message.images) &&
    isAbsent(message.tool_calls)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

function isOptionalBoolean(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'boolean';
}
