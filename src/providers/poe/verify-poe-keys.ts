import type { CallContext } from '../provider-adapter.ts';
import { checkUpstreamStatus } from '../shared/check-upstream-status.ts';
import { readUpstreamText } from '../shared/read-upstream-body.ts';
import type { UpstreamHttpClient } from '../shared/upstream-http-client.ts';
import { parsePoeErrorBody } from './parse-poe-error-body.ts';

/**
 * Proves each Poe key with Poe's point balance (`GET /usage/current_balance`, which needs the
 * key, where the model list does not): the first refused key is thrown as Poe's error.
 * https://creator.poe.com/api-reference/getCurrentBalance
 */
export async function verifyPoeKeys(httpClient: UpstreamHttpClient, modelsUrl: string, keys: readonly string[], context: CallContext & { providerId: string }): Promise<void> {
  const url = new URL('/usage/current_balance', modelsUrl).toString();
  for (const key of keys) {
    const response = await httpClient.request({ url, method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${key}` }, signal: context.signal });
    await checkUpstreamStatus(response, { url, providerId: context.providerId, parseError: (input) => parsePoeErrorBody(input, { call: 'key check (point balance)' }) });
    await readUpstreamText(response, url);
  }
}
