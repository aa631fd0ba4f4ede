import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromEnvironment } from './config-from-environment.ts';

describe('configFromEnvironment', () => {
  it('configures nothing from an empty environment', () => {
    assert.deepEqual(configFromEnvironment({}), { input: { providers: [] }, problems: [], warnings: [] });
  });

  it('enables one provider per key variable, in a fixed order, with base URL overrides', () => {
    const { input, problems } = configFromEnvironment({
      OLLAMA_BASE_URL: 'gpu-box',
      OLLAMA_HOST: '0.0.0.0:8080',
      GEMINI_API_KEY: 'g-key',
      ANTHROPIC_API_KEY: 'a-key',
      OPENAI_API_KEY: 'o-key',
      CEREBRAS_API_KEY: 'csk-key',
      POE_API_KEY: 'p-key',
      POE_BASE_URL: 'http://127.0.0.1:9000/v1',
      OPENAI_BASE_URL: 'http://127.0.0.1:9001/v1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9002',
      GEMINI_BASE_URL: 'http://127.0.0.1:9003/v1beta',
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(input.providers, [
      { id: 'poe', type: 'poe', api_key: 'p-key', base_url: 'http://127.0.0.1:9000/v1' },
      { id: 'cerebras', type: 'cerebras', api_key: 'csk-key' },
      { id: 'openai', type: 'openai-compatible', api_key: 'o-key', base_url: 'http://127.0.0.1:9001/v1' },
      { id: 'anthropic', type: 'anthropic', api_key: 'a-key', base_url: 'http://127.0.0.1:9002' },
      { id: 'gemini', type: 'gemini', api_key: 'g-key', base_url: 'http://127.0.0.1:9003/v1beta' },
      { id: 'ollama', type: 'ollama', base_url: 'http://gpu-box:11434' },
    ]);
  });

  it("takes the Poe bridge's SYSTEM_TOKEN as the Poe key, POE_API_KEY first", () => {
    assert.deepEqual(configFromEnvironment({ SYSTEM_TOKEN: 'sys' }).input.providers, [{ id: 'poe', type: 'poe', api_key: 'sys' }]);
    assert.deepEqual(configFromEnvironment({ SYSTEM_TOKEN: 'sys', POE_API_KEY: 'poe' }).input.providers, [{ id: 'poe', type: 'poe', api_key: 'poe' }]);
  });

  it('lets POE_PROTOCOL choose the bot protocol, and refuses other values', () => {
    assert.deepEqual(configFromEnvironment({ SYSTEM_TOKEN: 'sys', POE_PROTOCOL: 'bot' }).input.providers, [
      { id: 'poe', type: 'poe', api_key: 'sys', protocol: 'bot' },
    ]);
    assert.deepEqual(configFromEnvironment({ SYSTEM_TOKEN: 'sys', POE_PROTOCOL: 'grpc' }).problems, ["POE_PROTOCOL: expected 'openai' or 'bot', got 'grpc'"]);
    assert.equal(configFromEnvironment({ POE_PROTOCOL: 'bot' }).warnings.length, 1);
  });

  it('takes POE_UPLOAD_URL for bot-protocol attachments', () => {
    assert.deepEqual(configFromEnvironment({ SYSTEM_TOKEN: 's', POE_PROTOCOL: 'bot', POE_UPLOAD_URL: 'http://127.0.0.1:9/upload' }).input.providers, [
      { id: 'poe', type: 'poe', api_key: 's', protocol: 'bot', upload_url: 'http://127.0.0.1:9/upload' },
    ]);
    assert.match(configFromEnvironment({ SYSTEM_TOKEN: 's', POE_UPLOAD_URL: 'not a url' }).problems[0] ?? '', /^POE_UPLOAD_URL/);
  });

  it('gives OpenAI its real base URL by default', () => {
    assert.deepEqual(configFromEnvironment({ OPENAI_API_KEY: 'k' }).input.providers, [
      { id: 'openai', type: 'openai-compatible', api_key: 'k', base_url: 'https://api.openai.com/v1' },
    ]);
  });

  it("adds /v1 to a bare CEREBRAS_BASE_URL origin, as the Cerebras SDK does", () => {
    const bare = configFromEnvironment({ CEREBRAS_API_KEY: 'k', CEREBRAS_BASE_URL: 'http://127.0.0.1:7000' });
    assert.equal(bare.input.providers?.[0]?.base_url, 'http://127.0.0.1:7000/v1');
    const withPath = configFromEnvironment({ CEREBRAS_API_KEY: 'k', CEREBRAS_BASE_URL: 'http://127.0.0.1:7000/custom/v1' });
    assert.equal(withPath.input.providers?.[0]?.base_url, 'http://127.0.0.1:7000/custom/v1');
  });

  it('reads OLLAMA_BASE_URL as Ollama reads a host, and never OLLAMA_HOST (that is where an Ollama listens)', () => {
    const baseUrl = (host: string): string | undefined => configFromEnvironment({ OLLAMA_BASE_URL: host }).input.providers?.[0]?.base_url;
    assert.equal(baseUrl('127.0.0.1'), 'http://127.0.0.1:11434');
    assert.equal(baseUrl('gpu-box:8080'), 'http://gpu-box:8080');
    assert.equal(baseUrl('https://ollama.example.com'), 'https://ollama.example.com:443');
    assert.equal(baseUrl('http://ollama.example.com/prefix/'), 'http://ollama.example.com:80/prefix');
    assert.equal(baseUrl(':9999'), 'http://127.0.0.1:9999');
    assert.equal(baseUrl('::1'), 'http://[::1]:11434');
    assert.equal(baseUrl('[::1]:8080'), 'http://[::1]:8080');
    assert.deepEqual(configFromEnvironment({ OLLAMA_BASE_URL: 'ftp://x' }).problems, ['OLLAMA_BASE_URL: expected http://host:port or host[:port], got something else']);
    assert.deepEqual(configFromEnvironment({ OLLAMA_HOST: 'gpu-box' }).input.providers, []);
  });

  it("takes OLLAMA_API_KEY for Ollama's cloud: with OLLAMA_BASE_URL, or alone for ollama.com", () => {
    assert.deepEqual(configFromEnvironment({ OLLAMA_API_KEY: 'ok' }).input.providers, [{ id: 'ollama', type: 'ollama', base_url: 'https://ollama.com', api_key: 'ok' }]);
    assert.deepEqual(configFromEnvironment({ OLLAMA_API_KEY: 'ok', OLLAMA_BASE_URL: 'http://box:1' }).input.providers, [
      { id: 'ollama', type: 'ollama', base_url: 'http://box:1', api_key: 'ok' },
    ]);
  });

  it("takes GOOGLE_API_KEY or GEMINI_API_KEY for gemini, GOOGLE_API_KEY first as Google's SDK does", () => {
    assert.deepEqual(configFromEnvironment({ GEMINI_API_KEY: 'g' }).input.providers, [{ id: 'gemini', type: 'gemini', api_key: 'g' }]);
    assert.deepEqual(configFromEnvironment({ GEMINI_API_KEY: 'g', GOOGLE_API_KEY: 'google' }).input.providers, [{ id: 'gemini', type: 'gemini', api_key: 'google' }]);
  });

  it('reports a malformed base URL by its variable name', () => {
    const { problems, input } = configFromEnvironment({ POE_API_KEY: 'k', POE_BASE_URL: 'not a url' });
    assert.deepEqual(problems, ['POE_BASE_URL: expected an http:// or https:// URL']);
    assert.equal(input.providers?.[0]?.base_url, undefined);
  });

  it('turns CUSTOM_TOKEN and LLMUX_API_KEYS into client keys', () => {
    assert.deepEqual(configFromEnvironment({ CUSTOM_TOKEN: 'ctok', LLMUX_API_KEYS: ' k1, ,k2 ' }).input.keys, [
      { key: 'ctok', name: 'custom-token' },
      { key: 'k1', name: 'api-key-1' },
      { key: 'k2', name: 'api-key-2' },
    ]);
    assert.equal(configFromEnvironment({ LLMUX_API_KEYS: ' , ' }).input.keys, undefined);
  });

  describe('PROXY_* (the Poe bridge proxy)', () => {
    const proxyOf = (environment: Record<string, string>): string | undefined =>
      configFromEnvironment({ POE_API_KEY: 'k', ...environment }).input.providers?.[0]?.proxy;

    it('builds an http or socks5 URL without credentials and without a stray ":@"', () => {
      assert.equal(proxyOf({ PROXY_TYPE: 'http', PROXY_HOST: '10.0.0.1', PROXY_PORT: '3128' }), 'http://10.0.0.1:3128');
      assert.equal(proxyOf({ PROXY_TYPE: 'socks', PROXY_HOST: 'proxy.lan', PROXY_PORT: '1080' }), 'socks5://proxy.lan:1080');
      assert.equal(proxyOf({ PROXY_TYPE: 'SOCKS5', PROXY_HOST: 'proxy.lan', PROXY_PORT: '1080' }), 'socks5://proxy.lan:1080');
    });

    it('URL-encodes credentials', () => {
      assert.equal(
        proxyOf({ PROXY_TYPE: 'socks', PROXY_HOST: 'proxy.lan', PROXY_PORT: '1080', PROXY_USERNAME: 'me@corp', PROXY_PASSWORD: 'p:ss/w@rd' }),
        'socks5://me%40corp:p%3Ass%2Fw%40rd@proxy.lan:1080',
      );
      assert.equal(proxyOf({ PROXY_TYPE: 'http', PROXY_HOST: 'h', PROXY_PORT: '1', PROXY_USERNAME: 'user' }), 'http://user@h:1');
    });

    it('reports an incomplete or unknown proxy instead of ignoring it, without echoing the password', () => {
      const problemsOf = (environment: Record<string, string>): string[] => configFromEnvironment({ POE_API_KEY: 'k', ...environment }).problems;
      assert.deepEqual(problemsOf({ PROXY_TYPE: 'ftp', PROXY_HOST: 'h', PROXY_PORT: '1', PROXY_PASSWORD: 'hunter2' }), ['PROXY_TYPE: expected http or socks (socks5)']);
      assert.deepEqual(problemsOf({ PROXY_HOST: 'h', PROXY_PORT: '1' }), ['PROXY_TYPE: not set; use http or socks with PROXY_HOST']);
      assert.deepEqual(problemsOf({ PROXY_TYPE: 'http', PROXY_PORT: '1' }), ['PROXY_HOST: not set; PROXY_TYPE needs PROXY_HOST and PROXY_PORT']);
      assert.deepEqual(problemsOf({ PROXY_TYPE: 'http', PROXY_HOST: 'h' }), ['PROXY_PORT: expected a port number 1–65535']);
    });

    it('applies to the Poe provider only, and warns when there is none', () => {
      const { input, warnings } = configFromEnvironment({ CEREBRAS_API_KEY: 'k', PROXY_TYPE: 'http', PROXY_HOST: 'h', PROXY_PORT: '1' });
      assert.equal(input.providers?.[0]?.proxy, undefined);
      assert.match(warnings[0] ?? '', /Poe provider is not enabled/);
    });
  });

  describe('MODEL_MAPPING', () => {
    it('maps client names to whichever enabled provider lists the model (decided when routing), or to the provider a value names', () => {
      const { input, problems } = configFromEnvironment({
        CEREBRAS_API_KEY: 'c',
        POE_API_KEY: 'p',
        MODEL_MAPPING: '{"gpt-4":"GPT-4o","fast":"cerebras/gpt-oss-120b","org-model":"meta-llama/Llama-3"}',
      });
      assert.deepEqual(problems, []);
      assert.deepEqual(input.models, [
        { name: 'gpt-4', target: 'GPT-4o' },
        { name: 'fast', target: 'cerebras/gpt-oss-120b' },
        { name: 'org-model', target: 'poe/meta-llama/Llama-3' },
        { name: '*', target: 'poe/*' },
      ]);
    });

    it('sends names nothing else knows to Poe as bot names, as the Poe bridge did, unless a default model is set', () => {
      assert.deepEqual(configFromEnvironment({ SYSTEM_TOKEN: 's' }).input.models, [{ name: '*', target: 'poe/*' }]);
      assert.equal(configFromEnvironment({ SYSTEM_TOKEN: 's', DEFAULT_MODEL: 'poe/GPT-4o' }).input.models, undefined);
      assert.equal(configFromEnvironment({ CEREBRAS_API_KEY: 'c' }).input.models, undefined);
    });

    it('reports invalid JSON and non-string values', () => {
      assert.match(configFromEnvironment({ POE_API_KEY: 'p', MODEL_MAPPING: '{gpt:' }).problems[0] ?? '', /^MODEL_MAPPING: not valid JSON/);
      assert.deepEqual(configFromEnvironment({ POE_API_KEY: 'p', MODEL_MAPPING: '["a"]' }).problems, ['MODEL_MAPPING: expected a JSON object {"client-name":"upstream-name", …}']);
      assert.deepEqual(configFromEnvironment({ POE_API_KEY: 'p', MODEL_MAPPING: '{"a":1}' }).problems, ['MODEL_MAPPING["a"]: expected a non-empty model name as a string']);
    });

    it('warns when no provider is enabled to map to', () => {
      const { input, warnings } = configFromEnvironment({ MODEL_MAPPING: '{"a":"b"}' });
      assert.equal(input.models, undefined);
      assert.equal(warnings.length, 1);
    });
  });

  describe('CAI_MODEL and DEFAULT_MODEL', () => {
    it("routes a bare CAI_MODEL to cerebras, as the Cerebras wrapper did, even with other providers first", () => {
      assert.equal(configFromEnvironment({ CEREBRAS_API_KEY: 'c', CAI_MODEL: 'qwen-3-235b-a22b-instruct-2507' }).input.default_model, 'cerebras/qwen-3-235b-a22b-instruct-2507');
      assert.equal(configFromEnvironment({ POE_API_KEY: 'p', CEREBRAS_API_KEY: 'c', CAI_MODEL: 'gpt-oss-120b' }).input.default_model, 'cerebras/gpt-oss-120b');
    });

    it('routes a bare DEFAULT_MODEL to the first enabled provider and prefers it over CAI_MODEL', () => {
      assert.equal(configFromEnvironment({ POE_API_KEY: 'p', CEREBRAS_API_KEY: 'c', DEFAULT_MODEL: 'GPT-4o', CAI_MODEL: 'x' }).input.default_model, 'poe/GPT-4o');
    });

    it('keeps an alias name or a <provider>/<model> as it is', () => {
      assert.equal(configFromEnvironment({ POE_API_KEY: 'p', MODEL_MAPPING: '{"gpt-4":"GPT-4o"}', DEFAULT_MODEL: 'gpt-4' }).input.default_model, 'gpt-4');
      assert.equal(configFromEnvironment({ POE_API_KEY: 'p', CEREBRAS_API_KEY: 'c', DEFAULT_MODEL: 'cerebras/llama3.1-8b' }).input.default_model, 'cerebras/llama3.1-8b');
    });

    it('warns and sets nothing when no provider is enabled', () => {
      const { input, warnings } = configFromEnvironment({ CAI_MODEL: 'qwen' });
      assert.equal(input.default_model, undefined);
      assert.match(warnings[0] ?? '', /^CAI_MODEL is set but no provider is enabled/);
    });
  });
});
