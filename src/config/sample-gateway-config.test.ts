import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import type { Environment } from './config-from-environment.ts';
import { PROVIDER_FACTORIES } from '../providers/provider-registry.ts';
import { gatewayConfigSchema, PROVIDER_TYPES } from './gateway-config-schema.ts';
import { loadGatewayConfig, type LoadedGatewayConfig } from './load-gateway-config.ts';
import { SAMPLE_GATEWAY_CONFIG, sampleGatewayConfig } from './sample-gateway-config.ts';

describe('the llmux init sample', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'llmux-sample-'));
    await writeFile(join(directory, 'llmux.yaml'), SAMPLE_GATEWAY_CONFIG);
  });
  after(() => rm(directory, { recursive: true, force: true }));

  const load = (environment: Environment): Promise<LoadedGatewayConfig> => loadGatewayConfig({ environment, cwd: directory });

  it('loads with every key variable set: both providers, the aliases and the default model', async () => {
    const loaded = await load({ CEREBRAS_API_KEY: 'csk-1', POE_API_KEY: 'poe-1' });
    assert.deepEqual(loaded.warnings, []);
    assert.deepEqual(
      loaded.config.providers.map((provider) => [provider.id, provider.type, provider.api_key]),
      [
        ['cerebras', 'cerebras', 'csk-1'],
        ['poe', 'poe', 'poe-1'],
      ],
    );
    assert.deepEqual(
      loaded.config.models.map((alias) => [alias.name, alias.target]),
      [
        ['cerebras-*', 'cerebras/*'],
        ['poe-*', 'poe/*'],
      ],
    );
    assert.equal(loaded.config.default_model, undefined);
    assert.deepEqual(loaded.config.listen, { host: '127.0.0.1', port: 11434 });
  });

  it('loads with no key variable set, skipping both providers with a warning each', async () => {
    const loaded = await load({});
    assert.deepEqual(loaded.config.providers, []);
    assert.equal(loaded.warnings.length, 2);
  });

  it('spells out every top-level setting of the schema (default_model commented: it would name a model)', () => {
    const written = Object.keys(parseDocument(SAMPLE_GATEWAY_CONFIG).toJS() as Record<string, unknown>);
    assert.deepEqual([...written, 'default_model'].sort(), Object.keys(gatewayConfigSchema.shape).sort());
    assert.match(SAMPLE_GATEWAY_CONFIG, /^# default_model: /m);
  });

  it('names no upstream model id in a target: ids are retired, discovery finds the current ones', () => {
    const targets = [...SAMPLE_GATEWAY_CONFIG.matchAll(/^\s+targets?: (.+)$/gm)].map((match) => match[1]);
    assert.deepEqual(targets, ['cerebras/*', 'poe/*']);
  });

  it('writes discovered aliases, the default model and moved base URLs into a config that loads', async () => {
    const text = sampleGatewayConfig({
      aliases: [{ name: 'fast', target: 'cerebras/gpt-oss-120b', note: 'listed' }],
      defaultModel: 'fast',
      baseUrls: { cerebras: 'http://127.0.0.1:9/v1' },
    });
    const config = gatewayConfigSchema.parse(parseDocument(text.replaceAll('${CEREBRAS_API_KEY}', 'k').replaceAll('${POE_API_KEY}', 'k')).toJS());
    assert.deepEqual(config.models[0], { name: 'fast', target: 'cerebras/gpt-oss-120b' });
    assert.equal(config.default_model, 'fast');
    assert.equal(config.providers[0]?.base_url, 'http://127.0.0.1:9/v1');
  });

  it('offers exactly the provider types this build has, and names the others as not built yet', () => {
    const offered = /^# {3}(\S+(?: \| \S+)*)$/m.exec(SAMPLE_GATEWAY_CONFIG)?.[1]?.split(' | ');
    assert.deepEqual(offered, Object.keys(PROVIDER_FACTORIES));
    const unbuilt = PROVIDER_TYPES.filter((type) => PROVIDER_FACTORIES[type] === undefined);
    const named = /^# \(The types (.+) are recognised but not built in this version yet:$/m.exec(SAMPLE_GATEWAY_CONFIG)?.[1];
    assert.equal(named, unbuilt.length > 1 ? `${unbuilt.slice(0, -1).join(', ')} and ${unbuilt.at(-1)}` : unbuilt[0]);
    assert.match(SAMPLE_GATEWAY_CONFIG, /^# llmux\.yaml — one endpoint for OpenAI, Ollama and Anthropic clients,/);
  });

  it('explains every provider, model and key setting, at least in a comment', () => {
    for (const key of ['id', 'type', 'api_key', 'api_keys', 'base_url', 'proxy', 'timeout', 'connect_ms', 'first_byte_ms', 'idle_ms', 'headers', 'protocol', 'upload_url', 'models', 'default_max_tokens', 'max_tokens_cap', 'anthropic_version', 'betas']) {
      assert.match(SAMPLE_GATEWAY_CONFIG, new RegExp(`\\b${key}:`), key);
    }
    for (const key of ['name', 'target', 'targets', 'context_length', 'capabilities', 'key', 'rpm', 'tpm', 'origins']) {
      assert.match(SAMPLE_GATEWAY_CONFIG, new RegExp(`\\b${key}:`), key);
    }
  });
});
