import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { isAllowedHost } from './host-guard.ts';

test('names of this machine and local names pass, as in Ollama', () => {
  for (const host of [undefined, '', 'localhost', 'localhost:11434', 'LOCALHOST', hostname(), 'app.localhost', 'printer.local:80', 'svc.internal']) {
    assert.equal(isAllowedHost(host), true, String(host));
  }
});

test('loopback, private, unspecified, link-local and own addresses pass; public ones are refused', () => {
  const allowed = ['127.0.0.1', '127.8.9.10:11434', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.20:80', '0.0.0.0', '169.254.10.1', '[::1]:11434', '::1', '[::]', '[fd12:3456::1]', '[fe80::1]:80', '[::ffff:127.0.0.1]', '[::ffff:192.168.0.1]'];
  for (const host of allowed) assert.equal(isAllowedHost(host), true, host);
  const refused = ['93.184.216.34', '93.184.216.34:11434', '8.8.8.8', '172.32.0.1', '11.0.0.1', '192.169.0.1', '[2606:4700::1111]', '[::ffff:8.8.8.8]', 'example.com', 'localhost.evil.com', 'evil.local.com'];
  for (const host of refused) assert.equal(isAllowedHost(host), false, host);
});
