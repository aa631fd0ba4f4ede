import assert from 'node:assert/strict';
import { GatewayError } from '../src/canonical/gateway-error.ts';

/** The GatewayError `promise` rejects with; the test fails, saying `expected`, when it resolves, and when it rejects with anything else. */
export async function gatewayErrorRejection(promise: Promise<unknown>, expected = 'expected a rejection'): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail(expected);
}

/** For `assert.rejects`/`assert.throws`: the error is a GatewayError of this kind, its message matching. */
export function isGatewayError(kind: GatewayError['kind'], message: RegExp): (error: unknown) => true {
  return (error: unknown) => {
    assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return true;
  };
}
