import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutUrlCredentials } from './without-url-credentials.ts';

describe('withoutUrlCredentials', () => {
  it('removes user and password from a URL', () => {
    assert.equal(withoutUrlCredentials('https://user:secret@api.example.com/v1'), 'https://api.example.com/v1');
    assert.equal(withoutUrlCredentials('socks5://user@127.0.0.1:1080'), 'socks5://127.0.0.1:1080');
  });

  it('leaves a URL without credentials exactly as written', () => {
    assert.equal(withoutUrlCredentials('https://api.cerebras.ai/v1'), 'https://api.cerebras.ai/v1');
  });

  it('strips what looks like credentials even from an unparsable URL', () => {
    assert.equal(withoutUrlCredentials('http://user:se cret@host:port/x'), 'http://host:port/x');
  });
});
