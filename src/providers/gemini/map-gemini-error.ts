import { GatewayError, gatewayErrorKindForUpstreamStatus, type GatewayErrorKind } from '../../canonical/gateway-error.ts';
import { geminiErrorBodySchema } from './gemini-response-schemas.ts';

const LONGEST_TEXT_MESSAGE = 500;

/** google.rpc codes that say more than the HTTP status (https://ai.google.dev/gemini-api/docs/troubleshooting). */
const KIND_BY_STATUS: Record<string, GatewayErrorKind> = {
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  NOT_FOUND: 'not_found',
  PERMISSION_DENIED: 'permission',
  UNAUTHENTICATED: 'authentication',
};

/**
 * A Gemini error (`{"error":{code,message,status,details}}`, status names from google.rpc.Code)
 * → GatewayError: 429 RESOURCE_EXHAUSTED with the delay from its `RetryInfo` detail (so the key
 * rests and routing waits), an invalid key (400 API_KEY_INVALID) as an authentication failure.
 */
export function mapGeminiError(httpStatus: number, text: string, providerId: string, retryAfter?: number): GatewayError {
  const fields = parse(text);
  const status = fields?.status;
  const message = fields?.message ?? (text.trim() === '' ? `HTTP ${httpStatus} with no message` : text.trim().slice(0, LONGEST_TEXT_MESSAGE));
  const reasons = (fields?.details ?? []).map((detail) => (typeof detail.reason === 'string' ? detail.reason : undefined));
  const options: ConstructorParameters<typeof GatewayError>[2] = { upstreamStatus: httpStatus };
  if (status !== undefined) options.code = status;
  const retryDelay = fields?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo') === true)?.retryDelay;
  const seconds = retryDelay === undefined ? undefined : /^(\d+(?:\.\d+)?)s$/.exec(retryDelay)?.[1];
  if (seconds !== undefined) options.retryAfterSeconds = Number(seconds);
  else if (retryAfter !== undefined) options.retryAfterSeconds = retryAfter;
  if (reasons.includes('API_KEY_INVALID') || httpStatus === 401 || status === 'UNAUTHENTICATED') {
    return new GatewayError('authentication', `provider '${providerId}' (Gemini) rejected the API key llmux is configured with: ${message} (check its api_key)`, options);
  }
  if (httpStatus === 403 || status === 'PERMISSION_DENIED') {
    return new GatewayError('permission', `provider '${providerId}' (Gemini) refused the request made with the API key llmux is configured with: ${message}`, options);
  }
  const kind = (status === undefined ? undefined : KIND_BY_STATUS[status]) ?? gatewayErrorKindForUpstreamStatus(httpStatus);
  return new GatewayError(kind, message, options);
}

/** An error object sent inside a 200 stream (`data: {"error":{…}}`). */
export function mapGeminiStreamError(payload: unknown, providerId: string): GatewayError {
  const code = typeof payload === 'object' && payload !== null && 'error' in payload && typeof payload.error === 'object' && payload.error !== null && 'code' in payload.error ? payload.error.code : undefined;
  return mapGeminiError(typeof code === 'number' ? code : 500, JSON.stringify(payload), providerId);
}

interface GeminiErrorFields {
  message?: string;
  status?: string;
  details: ({ '@type'?: string; retryDelay?: string } & Record<string, unknown>)[];
}

function parse(text: string): GeminiErrorFields | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = geminiErrorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const error = parsed.data.error;
  const out: GeminiErrorFields = { details: error.details ?? [] };
  if (error.message !== undefined) out.message = error.message;
  if (error.status !== undefined) out.status = error.status;
  return out;
}
