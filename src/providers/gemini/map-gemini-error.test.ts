import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapGeminiError, mapGeminiStreamError } from './map-gemini-error.ts';

const body = (code: number, status: string, message: string, details: unknown[] = []): string => JSON.stringify({ error: { code, message, status, details } });

describe('mapGeminiError', () => {
  it("reads RetryInfo's delay from a 429 RESOURCE_EXHAUSTED, fractions included", () => {
    const error = mapGeminiError(
      429,
      body(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37.5s' },
      ]),
      'g',
    );
    assert.equal(error.kind, 'rate_limit');
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterSeconds, 37.5);
    assert.equal(error.code, 'RESOURCE_EXHAUSTED');
    assert.equal(error.message, 'You exceeded your current quota.');
  });

  it('makes an invalid key (400 API_KEY_INVALID) an authentication failure naming the provider, never the key', () => {
    const error = mapGeminiError(400, body(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]), 'g');
    assert.equal(error.kind, 'authentication');
    assert.match(error.message, /^provider 'g' \(Gemini\) rejected the API key llmux is configured with: API key not valid/);
  });

  it('keeps the status name over the HTTP status, and reads plain text and in-stream errors', () => {
    assert.equal(mapGeminiError(503, body(503, 'UNAVAILABLE', 'The model is overloaded.'), 'g').kind, 'overloaded');
    assert.equal(mapGeminiError(504, body(504, 'DEADLINE_EXCEEDED', 'Deadline expired.'), 'g').kind, 'timeout');
    assert.equal(mapGeminiError(400, body(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'), 'g').kind, 'invalid_request');
    const html = mapGeminiError(404, '<html>Not Found</html>', 'g');
    assert.equal(html.kind, 'not_found');
    assert.equal(html.message, '<html>Not Found</html>');
    assert.equal(mapGeminiStreamError({ error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } }, 'g').kind, 'upstream');
  });
});
