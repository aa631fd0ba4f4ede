import type { UpstreamHttpClient } from '../../wire/upstream-http-client.ts';
import type { CallContext } from '../provider-adapter.ts';
import { parsePoeErrorBody } from './parse-poe-error-body.ts';

/**
 * Proves each Poe key with Poe's point balance (`GET /usage/current_balance`, which needs the
 * key, where the model list does not): the first refused key is thrown as Poe's error.
 * https://creator.poe.com/api-reference/getCurrentBalance
 */
export async function verifyPoeKeys(httpClient: UpstreamHttpClient, modelsUrl: string, keys: readonly string[], context: CallContext): Promise<void> {
  const url = new URL('/usage/current_balance', modelsUrl).toString();
  for (const key of keys) {
    const response = await httpClient.request({ url, method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${key}` }, signal: context.signal });
    const text = await response.body.text();
    if (response.status !== 200) throw parsePoeErrorBody({ status: response.status, headers: response.headers, text }, { call: 'key check (point balance)' });
  }
}
