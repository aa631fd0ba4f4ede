import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePoeErrorBody } from './parse-poe-error-body.ts';

const json = (body: unknown): string => JSON.stringify(body);

describe('parsePoeErrorBody', () => {
  it("reads Poe's error shape with a numeric or a string code", () => {
    const numeric = parsePoeErrorBody({ status: 401, headers: {}, text: json({ error: { code: 401, type: 'authentication_error', message: 'Invalid API key' } }) });
    assert.equal(numeric.kind, 'authentication');
    assert.equal(numeric.status, 401);
    assert.equal(numeric.code, '401');
    assert.match(numeric.message, /Poe rejected the API key \(401\).*Invalid API key/);
    const named = parsePoeErrorBody({ status: 404, headers: {}, text: json({ error: { code: 'model_not_found', type: 'not_found_error', message: 'Model not found' } }) }, { nameKind: 'model', name: 'Nope' });
    assert.equal(named.status, 404);
    assert.equal(named.code, 'model_not_found');
    assert.match(named.message, /Poe has no model 'Nope'/);
  });

  it("lets the status decide, as Poe's error reference shows: a 401 typed invalid_request_error is a bad key", () => {
    const badKey = parsePoeErrorBody({ status: 401, headers: {}, text: json({ error: { message: 'Invalid API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }) });
    assert.deepEqual([badKey.kind, badKey.status, badKey.code], ['authentication', 401, 'invalid_api_key']);
    assert.match(badKey.message, /Poe rejected the API key \(401\).*Invalid API key provided/);
    const unknown = parsePoeErrorBody(
      { status: 400, headers: {}, text: json({ error: { message: "Model 'invalid-model' does not exist", type: 'invalid_request_error', code: 'model_not_found' } }) },
      { nameKind: 'model', name: 'invalid-model' },
    );
    assert.deepEqual([unknown.kind, unknown.status], ['not_found', 404]);
    assert.match(unknown.message, /Poe has no model 'invalid-model'.*does not exist/);
    const parameter = parsePoeErrorBody({ status: 400, headers: {}, text: json({ error: { message: 'Temperature must be between 0 and 2', type: 'invalid_request_error', code: 'invalid_parameter' } }) });
    assert.deepEqual([parameter.kind, parameter.status, parameter.retryable], ['invalid_request', 400, false]);
    const server = parsePoeErrorBody({ status: 500, headers: {}, text: json({ error: { message: 'oops', type: 'invalid_request_error', code: 500 } }) });
    assert.deepEqual([server.kind, server.retryable], ['upstream', true], 'a server failure stays retryable whatever its type says');
    const busy = parsePoeErrorBody({ status: 500, headers: {}, text: json({ error: { message: 'busy', type: 'overloaded_error', code: 500 } }) });
    assert.equal(busy.kind, 'overloaded');
  });

  it('maps 402, 413, 429 and 529 with the right status and retryability', () => {
    const credits = parsePoeErrorBody({ status: 402, headers: {}, text: json({ error: { code: 402, type: 'insufficient_credits', message: "You've used up your points!" } }) });
    assert.deepEqual([credits.kind, credits.status, credits.retryable], ['payment_required', 402, false]);
    assert.match(credits.message, /no points left.*used up your points/);
    const large = parsePoeErrorBody({ status: 413, headers: {}, text: json({ error: { code: 413, type: 'request_too_large', message: 'Too big' } }) });
    assert.deepEqual([large.kind, large.status, large.retryable], ['request_too_large', 413, false]);
    const limited = parsePoeErrorBody({ status: 429, headers: { 'retry-after': '3' }, text: json({ error: { code: 429, type: 'rate_limit_error', message: 'Slow down' } }) });
    assert.deepEqual([limited.kind, limited.status, limited.retryable, limited.retryAfterSeconds], ['rate_limit', 429, true, 3]);
    const overloaded = parsePoeErrorBody({ status: 529, headers: {}, text: json({ error: { code: 529, type: 'overloaded_error', message: 'Busy' } }) });
    assert.deepEqual([overloaded.kind, overloaded.retryable, overloaded.upstreamStatus], ['overloaded', true, 529]);
  });

  it('reads FastAPI detail bodies and plain text', () => {
    const detail = parsePoeErrorBody({ status: 404, headers: {}, text: json({ detail: "Bot 'X' does not exist" }) }, { nameKind: 'bot', name: 'X' });
    assert.equal(detail.message, "Poe has no bot 'X' (404): Bot 'X' does not exist");
    const text = parsePoeErrorBody({ status: 500, headers: {}, text: 'upstream exploded' });
    assert.deepEqual([text.kind, text.status], ['upstream', 502]);
    assert.match(text.message, /upstream exploded/);
  });
});
