import { headerValue, type UpstreamResponse } from './upstream-http-client.ts';

/**
 * How long an upstream asked to wait: `retry-after-ms`, else `retry-after` in seconds or as an
 * HTTP date, as the openai and Cerebras SDKs read them (src/core.ts).
 */
export function retryAfterSeconds(headers: UpstreamResponse['headers']): number | undefined {
  const milliseconds = Number.parseFloat(headerValue(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds / 1000;
  const value = headerValue(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}
