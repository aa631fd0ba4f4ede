import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors as undiciErrors } from 'undici';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { mapTransportError } from './map-transport-error.ts';

const UPSTREAM_URL = 'https://api.example.com/v1/chat/completions';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('mapTransportError', () => {
  it('returns a GatewayError unchanged', () => {
    const error = new GatewayError('rate_limit', 'slow down');
    assert.equal(mapTransportError(error, UPSTREAM_URL), error);
  });

  it('reports a fired signal as canceled whatever undici threw, or as the GatewayError given as reason', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(mapTransportError(withCode('socket closed', 'UND_ERR_SOCKET'), UPSTREAM_URL, { signal: controller.signal }).kind, 'canceled');
    const deadline = new AbortController();
    const reason = new GatewayError('timeout', 'overall deadline');
    deadline.abort(reason);
    assert.equal(mapTransportError(new Error('aborted'), UPSTREAM_URL, { signal: deadline.signal }), reason);
  });

  it('names the phase of each timeout, with the limit when known', () => {
    const timeouts = { connectMs: 10, firstByteMs: 20, idleMs: 30 };
    const connect = mapTransportError(new undiciErrors.ConnectTimeoutError(), UPSTREAM_URL, { timeouts });
    assert.deepEqual([connect.kind, connect.message], ['timeout', 'could not connect to api.example.com within 10 ms (connect timeout)']);
    const firstByte = mapTransportError(new undiciErrors.HeadersTimeoutError(), UPSTREAM_URL, { timeouts });
    assert.deepEqual([firstByte.kind, firstByte.message], ['timeout', 'api.example.com sent no response within 20 ms (first-byte timeout)']);
    const idle = mapTransportError(new undiciErrors.BodyTimeoutError(), UPSTREAM_URL, { timeouts });
    assert.deepEqual([idle.kind, idle.message], ['timeout', 'api.example.com sent nothing for 30 ms in the middle of the response (idle timeout)']);
    assert.equal(mapTransportError(new undiciErrors.ConnectTimeoutError(), UPSTREAM_URL).message, 'could not connect to api.example.com in time (connect timeout)');
    assert.equal(connect.retryable, true);
  });

  it('maps aborts without a fired signal to canceled', () => {
    assert.equal(mapTransportError(new undiciErrors.RequestAbortedError(), UPSTREAM_URL).kind, 'canceled');
    assert.equal(mapTransportError(new DOMException('This operation was aborted', 'AbortError'), UPSTREAM_URL).kind, 'canceled');
  });

  it('maps refused, unknown-host and reset connections to retryable upstream errors naming the host', () => {
    const refused = mapTransportError(withCode('connect ECONNREFUSED 10.0.0.1:443', 'ECONNREFUSED'), UPSTREAM_URL);
    assert.deepEqual([refused.kind, refused.retryable, refused.status], ['upstream', true, 502]);
    assert.equal(refused.message, 'could not reach api.example.com: connection refused (connect ECONNREFUSED 10.0.0.1:443)');
    const unknownHost = mapTransportError(new Error('wrapped', { cause: withCode('getaddrinfo ENOTFOUND api.example.com', 'ENOTFOUND') }), UPSTREAM_URL);
    assert.equal(unknownHost.message, 'could not reach api.example.com: host not found (wrapped)');
    const reset = mapTransportError(withCode('read ECONNRESET', 'ECONNRESET'), UPSTREAM_URL);
    assert.equal(reset.message, 'connection to api.example.com failed: connection reset (read ECONNRESET)');
  });

  it('describes an empty AggregateError (happy eyeballs) by its inner errors', () => {
    const error = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:80'), new Error('connect ECONNREFUSED 127.0.0.1:80')], ''), {
      code: 'ECONNREFUSED',
    });
    assert.equal(
      mapTransportError(error, 'http://localhost/x').message,
      'could not reach localhost: connection refused (connect ECONNREFUSED ::1:80; connect ECONNREFUSED 127.0.0.1:80)',
    );
  });

  it('names the proxy by host only, never its credentials', () => {
    const error = mapTransportError(withCode('connect ECONNREFUSED', 'ECONNREFUSED'), UPSTREAM_URL, { proxy: 'http://user:hunter2@proxy.corp:3128' });
    assert.equal(error.message, 'could not reach api.example.com through proxy proxy.corp:3128: connection refused (connect ECONNREFUSED)');
    const refused = mapTransportError(new undiciErrors.RequestAbortedError('Proxy response (407) !== 200 when HTTP Tunneling'), UPSTREAM_URL, {
      proxy: 'http://user:hunter2@proxy.corp:3128',
    });
    assert.equal(refused.kind, 'upstream');
    assert.doesNotMatch(refused.message, /hunter2/);
  });
});
