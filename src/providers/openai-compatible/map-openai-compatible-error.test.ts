import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapOpenAICompatibleError, mapOpenAICompatibleStreamError } from './map-openai-compatible-error.ts';

function map(status: number, body: unknown, headers: Record<string, string> = {}) {
  return mapOpenAICompatibleError({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('mapOpenAICompatibleError', () => {
  it("reads OpenAI's wrapped error with its param and code", () => {
    const error = map(400, { error: { message: "Invalid value for 'temperature'", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } });
    assert.equal(error.kind, 'invalid_request');
    assert.equal(error.status, 400);
    assert.equal(error.message, "Invalid value for 'temperature'");
    assert.equal(error.param, 'temperature');
    assert.equal(error.code, 'invalid_value');
    assert.equal(error.upstreamStatus, 400);
    assert.equal(error.retryable, false);
  });

  it("reads Cerebras' top-level error body", () => {
    const error = map(404, { message: 'Model does not exist or you do not have access to it.', type: 'not_found_error', param: 'model', code: 'model_not_found' });
    assert.equal(error.kind, 'not_found');
    assert.equal(error.message, 'Model does not exist or you do not have access to it.');
    assert.equal(error.param, 'model');
    assert.equal(error.code, 'model_not_found');
  });

  it('falls back to the type when the code only repeats the status (Poe)', () => {
    const error = map(401, { error: { code: 401, type: 'authentication_error', message: 'Invalid API key', metadata: {} } });
    assert.equal(error.kind, 'authentication');
    assert.equal(error.code, 'authentication_error');
    assert.equal(map(402, { error: { code: 402, message: 'no points' } }).code, '402');
  });

  it("says a 401/403 is about the provider's configured key, not the client's, when the provider is named", () => {
    const input = { headers: {}, text: JSON.stringify({ message: 'Wrong API Key', type: 'invalid_request_error', code: 'wrong_api_key' }), providerId: 'cerebras' };
    const refused = mapOpenAICompatibleError({ ...input, status: 401 });
    assert.equal(refused.message, "provider 'cerebras' rejected the API key llmux is configured with: Wrong API Key (check its api_key)");
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'wrong_api_key');
    const forbidden = mapOpenAICompatibleError({ ...input, status: 403 });
    assert.equal(forbidden.message, "provider 'cerebras' refused the request made with the API key llmux is configured with: Wrong API Key");
    assert.equal(forbidden.kind, 'permission');
    assert.equal(mapOpenAICompatibleError({ ...input, status: 404 }).message, 'Wrong API Key');
  });

  it('reads `{"error":"…"}`, FastAPI `{"detail":"…"}` and plain text', () => {
    assert.equal(map(400, { error: 'bad thing' }).message, 'bad thing');
    assert.equal(map(422, { detail: 'field required' }).message, 'field required');
    assert.equal(map(422, { detail: 'field required' }).kind, 'unprocessable');
    assert.equal(map(502, 'Bad Gateway\n').message, 'Bad Gateway');
    assert.equal(map(500, '').message, 'the upstream answered HTTP 500 with no message');
    assert.equal(map(502, '<html><body>nginx</body></html>').message, 'the upstream answered HTTP 502 with no message');
    assert.equal(map(500, { unrelated: true }).message, 'the upstream answered HTTP 500 with no message');
    assert.equal(map(500, 'x'.repeat(2000)).message.length, 1001);
  });

  it('maps statuses to kinds, retrying only what may succeed later', () => {
    const cases: [number, string, boolean][] = [
      [400, 'invalid_request', false],
      [401, 'authentication', false],
      [403, 'permission', false],
      [404, 'not_found', false],
      [408, 'timeout', true],
      [413, 'request_too_large', false],
      [429, 'rate_limit', true],
      [500, 'upstream', true],
      [502, 'upstream', true],
      [503, 'overloaded', true],
      [529, 'overloaded', true],
    ];
    for (const [status, kind, retryable] of cases) {
      const error = map(status, { message: 'x' });
      assert.equal(error.kind, kind, String(status));
      assert.equal(error.retryable, retryable, String(status));
    }
  });

  it('honours retry-after, retry-after-ms and x-should-retry', () => {
    const limited = map(429, { message: 'Tokens per minute limit exceeded - too many tokens processed.', type: 'too_many_requests_error' }, { 'retry-after': '2' });
    assert.equal(limited.kind, 'rate_limit');
    assert.equal(limited.retryAfterSeconds, 2);
    assert.equal(limited.status, 429);
    assert.equal(map(429, {}, { 'retry-after-ms': '1500', 'retry-after': '9' }).retryAfterSeconds, 1.5);
    assert.equal(map(500, {}, { 'x-should-retry': 'false' }).retryable, false);
    assert.equal(map(409, {}, { 'x-should-retry': 'true' }).retryable, true);
    assert.equal(map(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }).retryable, false);
  });
});

describe('mapOpenAICompatibleStreamError', () => {
  it('reads the error and the status code both SDKs read', () => {
    const error = mapOpenAICompatibleStreamError({ error: { message: 'Internal error', type: 'server_error', code: 'internal_error' }, status_code: 500 });
    assert.equal(error.kind, 'upstream');
    assert.equal(error.message, 'Internal error');
    assert.equal(error.code, 'internal_error');
    assert.equal(error.upstreamStatus, 500);
  });

  it('is an upstream error when no status is given', () => {
    const error = mapOpenAICompatibleStreamError({ error: 'boom' });
    assert.equal(error.kind, 'upstream');
    assert.equal(error.message, 'boom');
    assert.equal(mapOpenAICompatibleStreamError(null).message, 'the upstream reported an error in the middle of the stream');
  });
});
