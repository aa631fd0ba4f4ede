import { z } from 'zod';
import { GatewayError, gatewayErrorKindForUpstreamStatus, type GatewayErrorKind } from '../../canonical/gateway-error.ts';
import type { UpstreamErrorInput } from '../shared/check-upstream-status.ts';
import { retryAfterSeconds as readRetryAfter } from '../shared/retry-after-seconds.ts';

/**
 * Poe's error bodies, read leniently. The OpenAI-compatible API answers
 * `{"error":{"code","type","message"}}` where `code` is a number (401) or a string
 * (`invalid_api_key`) — https://creator.poe.com/api-reference/errors shows both; FastAPI-based
 * endpoints answer `{"detail": …}`; the bot protocol's own errors carry `text`.
 */
const poeErrorBodySchema = z.looseObject({
  error: z
    .union([
      z.string(),
      z.looseObject({
        code: z.union([z.string(), z.number()]).nullish(),
        type: z.string().nullish(),
        message: z.string().nullish(),
      }),
    ])
    .nullish(),
  detail: z.unknown().optional(),
  message: z.string().nullish(),
  text: z.string().nullish(),
});

/** Poe error `type`s and `code`s, which may say more than a catch-all status (400, 5xx) does. */
const KIND_BY_TYPE: Record<string, GatewayErrorKind> = {
  authentication_error: 'authentication',
  insufficient_credits: 'payment_required',
  moderation_error: 'permission',
  permission_error: 'permission',
  not_found_error: 'not_found',
  timeout_error: 'timeout',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  overloaded_error: 'overloaded',
  invalid_request_error: 'invalid_request',
  invalid_api_key: 'authentication',
  model_not_found: 'not_found',
  rate_limit_exceeded: 'rate_limit',
};
/** What a 5xx may be refined to: never to a 4xx kind, which would stop retries of a server failure. */
const SERVER_REFINEMENTS = new Set<GatewayErrorKind>(['overloaded', 'timeout', 'rate_limit']);

export type PoeErrorInput = Pick<UpstreamErrorInput, 'status' | 'headers' | 'text'>;

/** What failed, for the message: `bot 'GPT-4o'`, `model 'GPT-4o'`, `the image upload`. */
export interface PoeErrorSubject {
  /** `bot` or `model` when a bot/model name is at stake (404 names it). */
  nameKind?: 'bot' | 'model';
  name?: string;
  /** Short description of the call, e.g. `image upload`; defaults to `request`. */
  call?: string;
}

/** A non-2xx answer from any Poe endpoint → a GatewayError whose message says what happened. */
export function parsePoeErrorBody(input: PoeErrorInput, subject: PoeErrorSubject = {}): GatewayError {
  const { detail, code, type } = readBody(input.text);
  const kind = chooseKind(input.status, code, type);
  const retryAfterSeconds = readRetryAfter(input.headers);
  const summary = summarize(kind, input.status, subject);
  const message = detail === undefined || detail === '' ? summary : `${summary}: ${detail}`;
  return new GatewayError(kind, message, {
    upstreamStatus: input.status,
    ...(code === undefined ? {} : { code }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

/**
 * The status decides; Poe's `code`/`type` only refine the catch-all statuses. Poe's own error
 * reference (https://creator.poe.com/api-reference/errors) answers a bad key with 401 and
 * `type: invalid_request_error`, and an unknown model with 400 and `code: model_not_found`.
 */
function chooseKind(status: number, code: string | undefined, type: string | undefined): GatewayErrorKind {
  const byStatus = gatewayErrorKindForUpstreamStatus(status);
  const said = (code === undefined ? undefined : KIND_BY_TYPE[code]) ?? (type === undefined ? undefined : KIND_BY_TYPE[type]);
  if (said === undefined) return byStatus;
  if (status === 400) return said;
  if (byStatus === 'upstream' && SERVER_REFINEMENTS.has(said)) return said;
  return byStatus;
}

function summarize(kind: GatewayErrorKind, status: number, subject: PoeErrorSubject): string {
  const call = subject.call ?? 'request';
  const named = subject.name === undefined ? '' : ` ${subject.nameKind ?? 'bot'} '${subject.name}'`;
  switch (kind) {
    case 'authentication':
      return `Poe rejected the API key (${status}); check the provider's api_key`;
    case 'payment_required':
      return `the Poe account has no points left (${status})`;
    case 'permission':
      return `Poe refused the ${call}${named ? ' to' + named : ''} (${status})`;
    case 'not_found':
      return subject.name === undefined ? `Poe answered ${status} to the ${call}` : `Poe has no${named} (${status})`;
    case 'rate_limit':
      return `Poe rate limit reached (${status})`;
    case 'overloaded':
      return `Poe is overloaded (${status}); try again shortly`;
    case 'timeout':
      return `Poe timed out on the ${call} (${status})`;
    case 'request_too_large':
      return `the ${call} is too large for Poe (${status})`;
    case 'invalid_request':
    case 'unprocessable':
      return `Poe refused the ${call}${named ? ' to' + named : ''} (${status})`;
    default:
      return `Poe failed on the ${call}${named ? ' to' + named : ''} (${status})`;
  }
}

function readBody(text: string): { detail: string | undefined; code: string | undefined; type: string | undefined } {
  const trimmed = text.trim();
  if (trimmed === '') return { detail: undefined, code: undefined, type: undefined };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { detail: clip(trimmed), code: undefined, type: undefined };
  }
  const parsed = poeErrorBodySchema.safeParse(json);
  if (!parsed.success) return { detail: clip(trimmed), code: undefined, type: undefined };
  const body = parsed.data;
  if (typeof body.error === 'string') return { detail: clip(body.error), code: undefined, type: undefined };
  if (body.error !== undefined && body.error !== null) {
    const error = body.error;
    const code = error.code === undefined || error.code === null ? undefined : String(error.code);
    return { detail: error.message ?? undefined, code, type: error.type ?? undefined };
  }
  const detail = typeof body.detail === 'string' ? body.detail : body.detail === undefined ? undefined : JSON.stringify(body.detail);
  return { detail: clip(detail ?? body.message ?? body.text ?? trimmed), code: undefined, type: undefined };
}

function clip(text: string): string {
  return text.length > 500 ? text.slice(0, 497) + '...' : text;
}
