import type { FuzzProtocol } from './fuzz-routes.ts';

/** What an answer to a fuzz case must look like; the reason it does not, or undefined. */
export function checkFuzzAnswer(protocol: FuzzProtocol, status: number, headers: Record<string, string | string[] | undefined>, text: string): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  if (typeof headers['x-request-id'] !== 'string') return `status ${status} without x-request-id`;
  if (status < 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `status ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  return ERROR_SHAPES[protocol](body) ? undefined : `status ${status} not in the ${protocol} error shape: ${text.slice(0, 200)}`;
}

/** Each protocol's error body; a new protocol adds its shape here. */
const ERROR_SHAPES: Record<FuzzProtocol, (body: unknown) => boolean> = {
  openai: (body) => {
    const error = isRecord(body) ? body.error : undefined;
    return isRecord(error) && typeof error.message === 'string' && error.message.length > 0 && typeof error.type === 'string' && error.message.length <= 2_100;
  },
  ollama: (body) => isRecord(body) && typeof body.error === 'string' && body.error.length > 0 && body.error.length <= 2_100,
  // {"type":"error","error":{"type":"invalid_request_error","message":"…"}}
  anthropic: (body) => {
    const error = isRecord(body) ? body.error : undefined;
    return isRecord(body) && body.type === 'error' && isRecord(error) && typeof error.type === 'string' && typeof error.message === 'string' && error.message.length <= 2_100;
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
