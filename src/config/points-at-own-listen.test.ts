import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointsAtOwnListen } from './points-at-own-listen.ts';

describe('pointsAtOwnListen', () => {
  const loopback = { host: '127.0.0.1', port: 11434 };

  it('recognises loopback and any-address spellings of llmux on its own port', () => {
    for (const url of ['http://127.0.0.1:11434', 'http://localhost:11434/v1', 'http://0.0.0.0:11434', 'http://[::1]:11434/api']) {
      assert.equal(pointsAtOwnListen(url, loopback), true, url);
    }
    assert.equal(pointsAtOwnListen('http://[::1]:11434', { host: '::1', port: 11434 }), true);
    assert.equal(pointsAtOwnListen('http://10.0.0.5:8080', { host: '10.0.0.5', port: 8080 }), true);
  });

  it('leaves other ports, other hosts and default ports alone', () => {
    assert.equal(pointsAtOwnListen('http://127.0.0.1:11435', loopback), false);
    assert.equal(pointsAtOwnListen('http://gpu-box:11434', loopback), false);
    assert.equal(pointsAtOwnListen('https://api.openai.com/v1', loopback), false);
    assert.equal(pointsAtOwnListen('http://127.0.0.1/v1', { host: '127.0.0.1', port: 80 }), true);
    assert.equal(pointsAtOwnListen('http://127.0.0.1:8080', { host: '10.0.0.5', port: 8080 }), false);
  });

  it('never matches a listen on port 0, whose real port is chosen later', () => {
    assert.equal(pointsAtOwnListen('http://127.0.0.1:0', { host: '127.0.0.1', port: 0 }), false);
  });
});
