import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkProviderSettings } from './check-provider-settings.ts';
import { gatewayConfigSchema } from './gateway-config-schema.ts';

describe('checkProviderSettings: type-specific fields', () => {
  it('takes api_version on a gemini provider and refuses it, protocol and upload_url on types that would ignore them', () => {
    const config = gatewayConfigSchema.parse({
      providers: [
        { id: 'g', type: 'gemini', api_version: 'v1' },
        { id: 'o', type: 'ollama', api_version: 'v1', protocol: 'bot' },
        { id: 'p', type: 'poe', api_key: 'k', protocol: 'bot', upload_url: 'http://127.0.0.1:1/u' },
      ],
    });
    assert.deepEqual(checkProviderSettings(config), [
      "providers[1].api_version: only type 'gemini' has an API version in its path; 'ollama' takes it in base_url",
      "providers[1].protocol: only type 'poe' has a protocol choice (this provider is type 'ollama')",
    ]);
  });

  it('refuses an api_version that is not one', () => {
    assert.equal(gatewayConfigSchema.safeParse({ providers: [{ id: 'g', type: 'gemini', api_version: 'beta' }] }).success, false);
  });
});
