import type { ClientKeyConfig, GatewayConfigInput, ModelAliasConfig, ProviderConfig, ProviderType } from './gateway-config-schema.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface EnvironmentConfig {
  input: GatewayConfigInput;
  /** Malformed variables, one line each naming the variable. */
  problems: string[];
  /** Variables that were set but had nothing to act on. */
  warnings: string[];
}

interface KeyedProvider {
  id: string;
  type: ProviderType;
  keyVariables: readonly string[];
  baseUrlVariable: string;
  defaultBaseUrl?: string;
}

/**
 * The providers env-only mode can enable, in the order a bare model name in `MODEL_MAPPING` or
 * `DEFAULT_MODEL` picks from: the first enabled one wins.
 */
const KEYED_PROVIDERS: readonly KeyedProvider[] = [
  // SYSTEM_TOKEN is the Poe bridge's name for the Poe key (gigq/poe-to-openai).
  { id: 'poe', type: 'poe', keyVariables: ['POE_API_KEY', 'SYSTEM_TOKEN'], baseUrlVariable: 'POE_BASE_URL' },
  { id: 'cerebras', type: 'cerebras', keyVariables: ['CEREBRAS_API_KEY'], baseUrlVariable: 'CEREBRAS_BASE_URL' },
  { id: 'openai', type: 'openai-compatible', keyVariables: ['OPENAI_API_KEY'], baseUrlVariable: 'OPENAI_BASE_URL', defaultBaseUrl: 'https://api.openai.com/v1' },
  { id: 'anthropic', type: 'anthropic', keyVariables: ['ANTHROPIC_API_KEY'], baseUrlVariable: 'ANTHROPIC_BASE_URL' },
  // GOOGLE_API_KEY wins over GEMINI_API_KEY when both are set, as in Google's own SDK
  // (https://github.com/googleapis/js-genai/blob/main/src/node/node_client.ts).
  { id: 'gemini', type: 'gemini', keyVariables: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'], baseUrlVariable: 'GEMINI_BASE_URL' },
];

/** Ollama's cloud, where OLLAMA_API_KEY alone points the ollama provider. */
const OLLAMA_CLOUD_URL = 'https://ollama.com';

/** Ollama's own default port, used when OLLAMA_BASE_URL names none (ollama envconfig.Host). */
const OLLAMA_DEFAULT_PORT = '11434';

/**
 * The config llmux runs with when there is no config file: every variable of both original
 * bridges keeps working. `POE_API_KEY`/`SYSTEM_TOKEN`, `CEREBRAS_API_KEY`, `OPENAI_API_KEY`,
 * `ANTHROPIC_API_KEY`, `GEMINI_API_KEY`/`GOOGLE_API_KEY` and `OLLAMA_BASE_URL` each enable a provider
 * named after it (`OLLAMA_HOST` is Ollama's own listen address, never llmux's upstream);
 * `*_BASE_URL` move them; `CUSTOM_TOKEN`/`LLMUX_API_KEYS` are client keys; `MODEL_MAPPING`
 * becomes aliases; `DEFAULT_MODEL` (or the Cerebras wrapper's `CAI_MODEL`) the default model;
 * `PROXY_*` the Poe bridge's proxy. `PORT`, `HOST`, `OLLAMA_HOST` and `LLMUX_LOG_LEVEL` apply to
 * config files too and are handled by applyConfigOverrides.
 */
export function configFromEnvironment(environment: Environment): EnvironmentConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const providers: ProviderConfig[] = [];
  for (const keyed of KEYED_PROVIDERS) {
    const key = firstSet(environment, keyed.keyVariables);
    if (key === undefined) continue;
    const provider: ProviderConfig = { id: keyed.id, type: keyed.type, api_key: key.trim() };
    const baseUrl = readBaseUrl(environment, keyed.baseUrlVariable, problems) ?? keyed.defaultBaseUrl;
    if (baseUrl !== undefined) provider.base_url = keyed.type === 'cerebras' ? withCerebrasVersionPath(baseUrl) : baseUrl;
    providers.push(provider);
  }
  const ollama = ollamaFromEnvironment(environment, problems);
  if (ollama !== undefined) providers.push(ollama);
  const poe = providers.find((provider) => provider.id === 'poe');
  // POE_PROTOCOL=bot speaks fastapi_poe's bot protocol, as the Poe bridge did; openai is the default.
  const poeProtocol = nonEmpty(environment.POE_PROTOCOL);
  if (poeProtocol !== undefined) {
    if (poeProtocol !== 'bot' && poeProtocol !== 'openai') problems.push(`POE_PROTOCOL: expected 'openai' or 'bot', got '${poeProtocol}'`);
    else if (poe === undefined) warnings.push('POE_PROTOCOL is set but the Poe provider is not enabled (set POE_API_KEY)');
    else poe.protocol = poeProtocol;
  }
  // POE_UPLOAD_URL moves the bot protocol's attachment uploads, as POE_BASE_URL moves the rest.
  const uploadUrl = readBaseUrl(environment, 'POE_UPLOAD_URL', problems);
  if (uploadUrl !== undefined) {
    if (poe === undefined) warnings.push('POE_UPLOAD_URL is set but the Poe provider is not enabled (set POE_API_KEY)');
    else poe.upload_url = uploadUrl;
  }
  const proxy = proxyFromEnvironment(environment, problems);
  if (proxy !== undefined) {
    if (poe === undefined) warnings.push('PROXY_HOST is set but the Poe provider is not enabled (set POE_API_KEY); the proxy is not used');
    else poe.proxy = proxy;
  }

  const input: GatewayConfigInput = { providers };
  const keys = clientKeysFromEnvironment(environment);
  if (keys.length > 0) input.keys = keys;
  const models = aliasesFromModelMapping(environment.MODEL_MAPPING, providers, problems, warnings);
  const defaultModel = defaultModelFromEnvironment(environment, providers, models, warnings);
  if (defaultModel !== undefined) input.default_model = defaultModel;
  // The Poe bridge sent any model name to Poe as a bot name, private bots included (Poe's public
  // model list omits them); with no default model, names nothing else knows still go to Poe.
  if (poe !== undefined && defaultModel === undefined) models.push({ name: '*', target: 'poe/*' });
  if (models.length > 0) input.models = models;
  return { input, problems, warnings };
}

/**
 * The upstream Ollama: `OLLAMA_BASE_URL` (read as Ollama's client reads a host), with
 * `OLLAMA_API_KEY` for Ollama's cloud; the key alone means the cloud itself.
 */
function ollamaFromEnvironment(environment: Environment, problems: string[]): ProviderConfig | undefined {
  const host = nonEmpty(environment.OLLAMA_BASE_URL);
  const key = nonEmpty(environment.OLLAMA_API_KEY)?.trim();
  if (host === undefined && key === undefined) return undefined;
  const baseUrl = host === undefined ? OLLAMA_CLOUD_URL : ollamaBaseUrl(host);
  if (baseUrl === undefined) {
    problems.push('OLLAMA_BASE_URL: expected http://host:port or host[:port], got something else');
    return undefined;
  }
  const provider: ProviderConfig = { id: 'ollama', type: 'ollama', base_url: baseUrl };
  if (key !== undefined) provider.api_key = key;
  return provider;
}

/**
 * Every variable configFromEnvironment reads, besides the client keys: with a config file in use
 * these are not read (unless the file names them in a `${VAR}`), and llmux says so.
 */
export const ENVIRONMENT_ONLY_VARIABLES: readonly string[] = [
  ...KEYED_PROVIDERS.flatMap((keyed) => [...keyed.keyVariables, keyed.baseUrlVariable]),
  'POE_PROTOCOL',
  'POE_UPLOAD_URL',
  'MODEL_MAPPING',
  'DEFAULT_MODEL',
  'CAI_MODEL',
  'PROXY_TYPE',
  'PROXY_HOST',
  'PROXY_PORT',
  'PROXY_USERNAME',
  'PROXY_PASSWORD',
  'OLLAMA_BASE_URL',
  'OLLAMA_API_KEY',
];

/** The client-key variables: with a config file in use, their keys are added to the file's. */
export const CLIENT_KEY_VARIABLES: readonly string[] = ['CUSTOM_TOKEN', 'LLMUX_API_KEYS'];

export function clientKeysFromEnvironment(environment: Environment): ClientKeyConfig[] {
  const keys: ClientKeyConfig[] = [];
  const customToken = nonEmpty(environment.CUSTOM_TOKEN);
  if (customToken !== undefined) keys.push({ key: customToken, name: 'custom-token' });
  const listed = (environment.LLMUX_API_KEYS ?? '').split(',').map((key) => key.trim());
  listed.filter((key) => key.length > 0).forEach((key, index) => keys.push({ key, name: `api-key-${index + 1}` }));
  return keys;
}

/**
 * `MODEL_MAPPING` as the Poe bridge read it: `{"client-name": "upstream-name"}`. A value
 * `<provider>/<model>` naming an enabled provider goes there; any other value is a model of the
 * first enabled provider (poe, cerebras, openai, anthropic, gemini, ollama).
 */
function aliasesFromModelMapping(text: string | undefined, providers: readonly ProviderConfig[], problems: string[], warnings: string[]): ModelAliasConfig[] {
  if (text === undefined || text.trim() === '') return [];
  let mapping: unknown;
  try {
    mapping = JSON.parse(text);
  } catch (error) {
    problems.push(`MODEL_MAPPING: not valid JSON (${error instanceof Error ? error.message : String(error)}); expected {"client-name":"upstream-name", …}`);
    return [];
  }
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    problems.push('MODEL_MAPPING: expected a JSON object {"client-name":"upstream-name", …}');
    return [];
  }
  const aliases: ModelAliasConfig[] = [];
  for (const [name, upstream] of Object.entries(mapping)) {
    if (typeof upstream !== 'string' || upstream.trim() === '' || name.trim() === '') {
      problems.push(`MODEL_MAPPING[${JSON.stringify(name)}]: expected a non-empty model name as a string`);
      continue;
    }
    const bare = upstream.trim();
    // With several providers, a bare name goes to whichever of them lists it (the router decides
    // once their model lists are known), not blindly to the first.
    const target = providers.length > 1 && !bare.includes('/') ? bare : targetFor(bare, providers, undefined);
    if (target === undefined) {
      warnings.push(`MODEL_MAPPING: '${name}' is not mapped because no provider is enabled (set POE_API_KEY, CEREBRAS_API_KEY, …)`);
      continue;
    }
    aliases.push({ name, target });
  }
  return aliases;
}

/**
 * `DEFAULT_MODEL`, else the Cerebras wrapper's `CAI_MODEL`. A bare CAI_MODEL is a Cerebras model
 * (the wrapper sent every request to it), so it routes to the cerebras provider when enabled.
 */
function defaultModelFromEnvironment(
  environment: Environment,
  providers: readonly ProviderConfig[],
  aliases: readonly ModelAliasConfig[],
  warnings: string[],
): string | undefined {
  const explicit = nonEmpty(environment.DEFAULT_MODEL)?.trim();
  const caiModel = nonEmpty(environment.CAI_MODEL)?.trim();
  const name = explicit ?? caiModel;
  if (name === undefined) return undefined;
  const variable = explicit === undefined ? 'CAI_MODEL' : 'DEFAULT_MODEL';
  if (aliases.some((alias) => alias.name === name)) return name;
  const target = targetFor(name, providers, explicit === undefined ? 'cerebras' : undefined);
  if (target === undefined) warnings.push(`${variable} is set but no provider is enabled to serve '${name}'; it is ignored`);
  return target;
}

function targetFor(model: string, providers: readonly ProviderConfig[], preferred: string | undefined): string | undefined {
  const slash = model.indexOf('/');
  if (slash > 0 && providers.some((provider) => provider.id === model.slice(0, slash))) return model;
  const provider = providers.find((candidate) => candidate.id === preferred) ?? providers[0];
  return provider === undefined ? undefined : `${provider.id}/${model}`;
}

/**
 * The Poe bridge's proxy: `PROXY_TYPE` http or socks (socks5), `PROXY_HOST`, `PROXY_PORT`, and
 * optional `PROXY_USERNAME`/`PROXY_PASSWORD` (URL-encoded here; the bridge wrote `http://:@host`
 * when they were unset). The bridge ignored an incomplete proxy silently; here it is an error.
 * https://github.com/gigq/poe-to-openai/blob/main/api/poe_api.py (create_proxy_url)
 */
function proxyFromEnvironment(environment: Environment, problems: string[]): string | undefined {
  const type = nonEmpty(environment.PROXY_TYPE)?.trim().toLowerCase();
  const host = nonEmpty(environment.PROXY_HOST)?.trim();
  const port = nonEmpty(environment.PROXY_PORT)?.trim();
  if (type === undefined && host === undefined) return undefined;
  const scheme = type === 'http' || type === 'https' ? type : type === 'socks' || type === 'socks5' || type === 'socks5h' ? 'socks5' : undefined;
  if (scheme === undefined) {
    problems.push(type === undefined ? 'PROXY_TYPE: not set; use http or socks with PROXY_HOST' : 'PROXY_TYPE: expected http or socks (socks5)');
    return undefined;
  }
  if (host === undefined) {
    problems.push('PROXY_HOST: not set; PROXY_TYPE needs PROXY_HOST and PROXY_PORT');
    return undefined;
  }
  if (port === undefined || !/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    problems.push('PROXY_PORT: expected a port number 1–65535');
    return undefined;
  }
  const user = nonEmpty(environment.PROXY_USERNAME);
  const password = nonEmpty(environment.PROXY_PASSWORD);
  let credentials = '';
  if (user !== undefined || password !== undefined) {
    credentials = encodeURIComponent(user ?? '') + (password === undefined ? '' : `:${encodeURIComponent(password)}`) + '@';
  }
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${credentials}${bracketed}:${port}`;
}

function readBaseUrl(environment: Environment, variable: string, problems: string[]): string | undefined {
  const value = nonEmpty(environment[variable])?.trim();
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    problems.push(`${variable}: expected an http:// or https:// URL`);
    return undefined;
  }
  return value;
}

/**
 * The Cerebras SDK's `CEREBRAS_BASE_URL` is the bare origin (`https://api.cerebras.ai`) and adds
 * `/v1` itself; llmux's base URLs include the version path, so a bare origin gets it here.
 * https://github.com/Cerebras/cerebras-cloud-sdk-python (CEREBRAS_BASE_URL)
 */
function withCerebrasVersionPath(baseUrl: string): string {
  const url = new URL(baseUrl);
  return url.pathname === '/' || url.pathname === '' ? `${url.origin}/v1` : baseUrl;
}

/**
 * OLLAMA_BASE_URL, read as Ollama's own client reads OLLAMA_HOST: `host`, `host:port`, `scheme://host[:port][/path]`;
 * port 11434 unless a scheme is given (then 80 / 443).
 * https://github.com/ollama/ollama/blob/main/envconfig/config.go (Host)
 */
function ollamaBaseUrl(value: string): string | undefined {
  const text = value.trim();
  const schemeEnd = text.indexOf('://');
  const scheme = schemeEnd === -1 ? 'http' : text.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  let hostPort = schemeEnd === -1 ? text : text.slice(schemeEnd + 3);
  let path = '';
  const slash = hostPort.indexOf('/');
  if (slash !== -1) {
    path = hostPort.slice(slash).replace(/\/+$/, '');
    hostPort = hostPort.slice(0, slash);
  }
  const defaultPort = schemeEnd === -1 ? OLLAMA_DEFAULT_PORT : scheme === 'https' ? '443' : '80';
  // A bare IPv6 address has colons but no port.
  if ((hostPort.match(/:/g) ?? []).length > 1 && !hostPort.startsWith('[')) hostPort = `[${hostPort}]`;
  const match = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  if (match === null) return undefined;
  const host = match[1] === undefined || match[1] === '' ? '127.0.0.1' : match[1];
  const port = match[2] ?? defaultPort;
  if (Number(port) > 65535) return undefined;
  const url = `${scheme}://${host}:${port}${path}`;
  return URL.canParse(url) ? url : undefined;
}

function firstSet(environment: Environment, variables: readonly string[]): string | undefined {
  for (const variable of variables) {
    const value = nonEmpty(environment[variable]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
