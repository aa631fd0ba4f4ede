import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { checkUpstreamStatus, type UpstreamErrorInput } from './check-upstream-status.ts';
import type { UpstreamBody } from './upstream-body.ts';
import type { UpstreamResponse } from './upstream-http-client.ts';
import { gatewayErrorRejection } from '../../../test-support/assert-gateway-error.ts';

function response(status: number, text: string, headers: Record<string, string> = {}): UpstreamResponse & { drained: () => boolean } {
  let drained = false;
  const body: UpstreamBody = {
    [Symbol.asyncIterator]: () => [new TextEncoder().encode(text)].values() as unknown as AsyncIterator<Uint8Array>,
    chunks: () => body,
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    bytes: async () => new TextEncoder().encode(text),
    drain: async () => {
      drained = true;
    },
    destroy: () => undefined,
  };
  return { status, headers, body, drained: () => drained };
}

describe('checkUpstreamStatus', () => {
  const check = { url: 'https://up.example/v1/chat', providerId: 'up', parseError: (input: UpstreamErrorInput) => new GatewayError('rate_limit', `${input.providerId} ${input.status}: ${input.text}`, { upstreamStatus: input.status }) };

  it('passes a 2xx answer through untouched', async () => {
    const ok = response(201, 'fine');
    assert.equal(await checkUpstreamStatus(ok, check), ok);
  });

  it("hands any other status, its headers and its body to the provider's parser", async () => {
    const error = await gatewayErrorRejection(checkUpstreamStatus(response(429, 'slow down'), check));
    assert.deepEqual([error.kind, error.message, error.upstreamStatus], ['rate_limit', 'up 429: slow down', 429]);
  });

  it('refuses a redirect, naming where it pointed, without following it', async () => {
    const moved = response(301, '', { location: 'https://elsewhere.example/v1/chat' });
    const error = await gatewayErrorRejection(checkUpstreamStatus(moved, check));
    assert.equal(error.message, "provider 'up' redirected https://up.example/v1/chat to https://elsewhere.example/v1/chat; check its base_url");
    assert.deepEqual([error.kind, error.retryable, error.upstreamStatus], ['upstream', false, 301]);
    assert.equal(moved.drained(), true);
  });
});
