import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayConfigSchema } from './gateway-config-schema.ts';

describe('gatewayConfigSchema', () => {
  it('fills defaults for an empty config', () => {
    const config = gatewayConfigSchema.parse({});
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 11434 });
    assert.equal(config.ollama_version, '0.12.6');
    assert.equal(config.body_limit, 32 * 1024 * 1024);
  });

  it('refuses an ollama_version Ollama clients would reject', () => {
    for (const version of ['0.6.3', '0.1.17', '0.0.0']) {
      const result = gatewayConfigSchema.safeParse({ ollama_version: version });
      assert.equal(result.success, false, version);
      assert.match(result.error?.issues[0]?.message ?? '', /0\.6\.4 or newer/);
    }
    for (const version of ['0.6.4', '0.7.0', '1.0.0', '0.12.6']) assert.equal(gatewayConfigSchema.safeParse({ ollama_version: version }).success, true, version);
    assert.equal(gatewayConfigSchema.safeParse({ ollama_version: 'nollama-0.1' }).success, false);
  });

  it('keeps stored responses 30 days unless responses.retention says otherwise, and refuses a retention it cannot read', () => {
    assert.deepEqual(gatewayConfigSchema.parse({}).responses, { retention: '30d' });
    for (const retention of ['12h', '2w', '90m', '1.5d']) assert.equal(gatewayConfigSchema.safeParse({ responses: { retention } }).success, true, retention);
    for (const retention of ['forever', '30', '30s', '0m']) {
      const result = gatewayConfigSchema.safeParse({ responses: { retention } });
      assert.equal(result.success, false, retention);
      assert.deepEqual(result.error?.issues[0]?.path, ['responses', 'retention']);
    }
  });

  it('takes only http:// and https:// upstream URLs', () => {
    const provider = (base_url: string) => ({ providers: [{ id: 'p', type: 'openai-compatible', base_url }] });
    const refused = gatewayConfigSchema.safeParse(provider('ftp://127.0.0.1/v1'));
    assert.equal(refused.success, false);
    assert.match(refused.error?.issues[0]?.message ?? '', /expected an http:\/\/ or https:\/\/ URL/);
    assert.equal(gatewayConfigSchema.safeParse(provider('https://api.example.com/v1')).success, true);
    assert.equal(gatewayConfigSchema.safeParse(provider('http://127.0.0.1:8080/v1')).success, true);
  });

  it('allows one * in a model name', () => {
    assert.equal(gatewayConfigSchema.safeParse({ models: [{ name: 'claude-*', target: 'poe/Claude-*' }] }).success, true);
    assert.equal(gatewayConfigSchema.safeParse({ models: [{ name: '*-*', target: 'poe/*' }] }).success, false);
  });
});
