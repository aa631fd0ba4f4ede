import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError, type GatewayErrorKind } from '../../canonical/gateway-error.ts';
import { formatOpenAIError } from './openai-error-response.ts';

describe('formatOpenAIError', () => {
  it('answers in OpenAI shape with the status of the error', () => {
    const formatted = formatOpenAIError(new GatewayError('not_found', "model 'x' not found", { param: 'model', code: 'model_not_found' }));
    assert.deepEqual(formatted, {
      status: 404,
      body: { error: { message: "model 'x' not found", type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
    });
  });

  it('spells each kind as OpenAI does', () => {
    const expected: [GatewayErrorKind, number, string][] = [
      ['invalid_request', 400, 'invalid_request_error'],
      ['authentication', 401, 'authentication_error'],
      ['payment_required', 402, 'insufficient_quota'],
      ['permission', 403, 'permission_error'],
      ['request_too_large', 413, 'invalid_request_error'],
      ['rate_limit', 429, 'rate_limit_error'],
      ['upstream', 502, 'api_error'],
      ['overloaded', 502, 'server_error'],
      ['timeout', 504, 'timeout'],
      ['internal', 500, 'api_error'],
    ];
    for (const [kind, status, type] of expected) {
      const formatted = formatOpenAIError(new GatewayError(kind, 'x'));
      assert.equal(formatted.status, status, kind);
      assert.deepEqual(formatted.body, { error: { message: 'x', type, param: null, code: kind === 'payment_required' ? 'insufficient_quota' : null } }, kind);
    }
  });
});
