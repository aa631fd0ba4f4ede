import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOllamaHost } from './parse-ollama-host.ts';

describe('parseOllamaHost', () => {
  it('reads the forms Ollama users set', () => {
    assert.deepEqual(parseOllamaHost('0.0.0.0:11434'), { host: '0.0.0.0', port: 11434 });
    assert.deepEqual(parseOllamaHost('0.0.0.0'), { host: '0.0.0.0', port: 11434 });
    assert.deepEqual(parseOllamaHost(':8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(parseOllamaHost('http://gpu-box'), { host: 'gpu-box', port: 80 });
    assert.deepEqual(parseOllamaHost('https://gpu-box'), { host: 'gpu-box', port: 443 });
    assert.deepEqual(parseOllamaHost('http://0.0.0.0:9000/'), { host: '0.0.0.0', port: 9000 });
    assert.deepEqual(parseOllamaHost('[::1]:9000'), { host: '::1', port: 9000 });
    assert.deepEqual(parseOllamaHost('::'), { host: '::', port: 11434 });
  });

  it('refuses what is not an address', () => {
    assert.equal(parseOllamaHost('ftp://x'), undefined);
    assert.equal(parseOllamaHost('host:99999'), undefined);
    assert.equal(parseOllamaHost('host:port'), undefined);
  });
});
