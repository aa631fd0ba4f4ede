import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorsPolicy } from './cors-policy.ts';
import { isAllowedHost } from './host-guard.ts';

describe('CorsPolicy', () => {
  it("allows Ollama's default origins and refuses others", () => {
    const policy = new CorsPolicy([], undefined);
    for (const origin of ['http://localhost', 'http://localhost:5173', 'https://127.0.0.1:8443', 'app://obsidian.md', 'vscode-webview://abc', 'tauri://localhost']) {
      assert.equal(policy.allows(origin, undefined), true, origin);
    }
    for (const origin of ['https://evil.example', 'chrome-extension://abcdef', 'http://localhost.evil.example']) {
      assert.equal(policy.allows(origin, undefined), false, origin);
    }
  });

  it('adds configured origins and OLLAMA_ORIGINS; * allows all', () => {
    const policy = new CorsPolicy(['https://chat.example.com'], 'chrome-extension://*, https://other.example');
    assert.equal(policy.allows('https://chat.example.com', undefined), true);
    assert.equal(policy.allows('chrome-extension://abcdef', undefined), true);
    assert.equal(policy.allows('https://other.example', undefined), true);
    assert.equal(new CorsPolicy([], '*').allowAll, true);
  });

  it('lets same-origin requests through', () => {
    assert.equal(new CorsPolicy([], undefined).allows('http://my-box:11434', 'my-box:11434'), true);
  });
});

describe('isAllowedHost', () => {
  it('passes local names and IPs, refuses foreign names', () => {
    for (const host of ['localhost:11434', '127.0.0.1:11434', '[::1]:11434', '192.168.1.5', 'box.local', 'x.localhost', 'svc.internal', undefined]) {
      assert.equal(isAllowedHost(host), true, String(host));
    }
    for (const host of ['evil.example', 'evil.example:11434', 'localhost.evil.example']) assert.equal(isAllowedHost(host), false, host);
  });
});
