import { GatewayError, gatewayErrorKindForUpstreamStatus } from '../../canonical/gateway-error.ts';
import type { UpstreamErrorInput } from '../shared/check-upstream-status.ts';
import { keyRefusalMessage } from '../shared/key-refusal-message.ts';
import { retryAfterSeconds } from '../shared/retry-after-seconds.ts';
import { headerValue } from '../shared/upstream-http-client.ts';
import { openAICompatibleErrorFieldsSchema } from './openai-compatible-response-schemas.ts';

interface ErrorFields {
  message?: string;
  type?: string;
  param?: string;
  code?: string;
}

const LONGEST_TEXT_MESSAGE = 1000;

/**
 * A non-2xx upstream answer → GatewayError with the upstream's own message. Reads OpenAI's
 * `{"error":{message,type,param,code}}`, the top-level `{message,type,param,code}` Cerebras sends
 * (https://inference-docs.cerebras.ai/support/error), `{"error":"…"}`, FastAPI's `{"detail":"…"}`
 * and plain text; `retry-after-ms` / `retry-after` / `x-should-retry` as the openai and Cerebras
 * SDKs read them (src/core.ts).
 */
export function mapOpenAICompatibleError(input: UpstreamErrorInput): GatewayError {
  const fields = parseErrorText(input.text);
  const kind = gatewayErrorKindForUpstreamStatus(input.status);
  const upstreamMessage = fields.message ?? plainTextMessage(input.text) ?? `the upstream answered HTTP ${input.status} with no message`;
  const message = (input.providerId === undefined ? undefined : keyRefusalMessage(input.status, input.providerId, upstreamMessage)) ?? upstreamMessage;
  const options: ConstructorParameters<typeof GatewayError>[2] = { upstreamStatus: input.status };
  if (fields.param !== undefined) options.param = fields.param;
  const code = machineCode(fields);
  if (code !== undefined) options.code = code;
  const retryAfter = retryAfterSeconds(input.headers);
  if (retryAfter !== undefined) options.retryAfterSeconds = retryAfter;
  const shouldRetry = headerValue(input.headers, 'x-should-retry');
  if (shouldRetry === 'true') options.retryable = true;
  else if (shouldRetry === 'false') options.retryable = false;
  // OpenAI answers an exhausted quota with 429, but waiting will not help.
  if (fields.code === 'insufficient_quota' || fields.type === 'insufficient_quota') options.retryable = false;
  return new GatewayError(kind, message, options);
}

/**
 * An error that arrived inside a 200 stream (`data: {"error":…,"status_code":500}` or
 * `event: error`), as both SDKs' Stream classes read it; kind from `status_code` when given.
 */
export function mapOpenAICompatibleStreamError(payload: unknown): GatewayError {
  const fields = errorFields(payload);
  const statusCode = isRecord(payload) && typeof payload.status_code === 'number' ? payload.status_code : undefined;
  const status = statusCode !== undefined && statusCode >= 400 ? statusCode : undefined;
  const options: ConstructorParameters<typeof GatewayError>[2] = {};
  if (status !== undefined) options.upstreamStatus = status;
  if (fields.param !== undefined) options.param = fields.param;
  const code = machineCode(fields);
  if (code !== undefined) options.code = code;
  const kind = status === undefined ? 'upstream' : gatewayErrorKindForUpstreamStatus(status);
  return new GatewayError(kind, fields.message ?? 'the upstream reported an error in the middle of the stream', options);
}

/** `code`, unless it only repeats the HTTP status (Poe sends `"code":401`); then `type`. */
function machineCode(fields: ErrorFields): string | undefined {
  if (fields.code !== undefined && !/^\d+$/.test(fields.code)) return fields.code;
  return fields.type ?? fields.code;
}

function parseErrorText(text: string): ErrorFields {
  try {
    return errorFields(JSON.parse(text) as unknown);
  } catch {
    return {};
  }
}

function errorFields(payload: unknown): ErrorFields {
  if (!isRecord(payload)) return typeof payload === 'string' && payload.trim() !== '' ? { message: payload.trim() } : {};
  const nested = payload.error;
  if (typeof nested === 'string') return { ...fieldsOf(payload), message: nested };
  if (isRecord(nested)) return fieldsOf(nested);
  const fields = fieldsOf(payload);
  if (fields.message === undefined && typeof payload.detail === 'string') fields.message = payload.detail;
  return fields;
}

function fieldsOf(source: Record<string, unknown>): ErrorFields {
  const parsed = openAICompatibleErrorFieldsSchema.safeParse(source);
  if (!parsed.success) return {};
  const fields: ErrorFields = {};
  const message = asText(parsed.data.message);
  if (message !== undefined) fields.message = message;
  const type = asText(parsed.data.type);
  if (type !== undefined) fields.type = type;
  const param = asText(parsed.data.param);
  if (param !== undefined) fields.param = param;
  const code = asText(parsed.data.code);
  if (code !== undefined) fields.code = code;
  return fields;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function plainTextMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.startsWith('{') || trimmed.startsWith('<')) return undefined;
  return trimmed.length > LONGEST_TEXT_MESSAGE ? trimmed.slice(0, LONGEST_TEXT_MESSAGE) + '…' : trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
