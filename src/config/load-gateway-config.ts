import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyConfigOverrides, type CommandLineOverrides } from './apply-config-overrides.ts';
import { checkConfigSemantics } from './check-config-semantics.ts';
import { checkProviderSettings } from './check-provider-settings.ts';
import { ConfigError } from './config-error.ts';
import {
  CLIENT_KEY_VARIABLES,
  clientKeysFromEnvironment,
  configFromEnvironment,
  ENVIRONMENT_ONLY_VARIABLES,
  type Environment,
} from './config-from-environment.ts';
import { formatConfigIssues } from './format-config-issues.ts';
import { formatConfigPath } from './format-config-path.ts';
import { gatewayConfigSchema, type GatewayConfig } from './gateway-config-schema.ts';
import { describeUnset } from './describe-unset-variable.ts';
import type { UnsetReference } from './interpolate-environment.ts';
import { effectiveBaseUrl } from './default-base-url.ts';
import { pointsAtOwnListen } from './points-at-own-listen.ts';

export interface LoadGatewayConfigOptions {
  /** `--config FILE`. */
  configPath?: string;
  environment: Environment;
  /** Where `./llmux.yaml` is looked for and relative paths start. */
  cwd: string;
  overrides?: CommandLineOverrides;
}

export type ConfigSource = { kind: 'file'; path: string } | { kind: 'environment' };

/** A configured provider left out of this run, and why. */
export interface SkippedProvider {
  id: string;
  type: string;
  reason: string;
}

export interface LoadedGatewayConfig {
  config: GatewayConfig;
  source: ConfigSource;
  /** Things worth one log line each; none stops llmux from starting. */
  warnings: string[];
  skippedProviders: SkippedProvider[];
  /** With a config file: the environment variables that would configure llmux but are not read. */
  ignoredVariables: string[];
  /** Where the listen address came from when no file or flag set it: `OLLAMA_HOST`. */
  listenFrom?: string;
  /** `OLLAMA_ORIGINS`, for buildGateway. */
  ollamaOrigins?: string;
}

/**
 * The config llmux runs with: `--config FILE`, else `LLMUX_CONFIG`, else `./llmux.yaml` if
 * present, else the environment alone (configFromEnvironment). `${VAR}` references are expanded,
 * the result is validated, then `PORT`/`HOST`/`LLMUX_LOG_LEVEL` and the command-line flags
 * override it. Throws ConfigError listing every problem at once.
 *
 * A provider whose only problem is an unset API-key variable (`api_key: ${POE_API_KEY}`) is
 * skipped with a warning instead, so one sample config serves whichever keys a user has.
 */
export async function loadGatewayConfig(options: LoadGatewayConfigOptions): Promise<LoadedGatewayConfig> {
  const { environment } = options;
  const file = await locateConfigFile(options);
  const warnings: string[] = [];
  const problems: string[] = [];
  let input: unknown;
  let unsetKeys = new Map<number, UnsetReference[]>();
  let referenced: ReadonlySet<string> = new Set();
  let fileSetsListen = false;
  if (file === undefined) {
    const fromEnvironment = configFromEnvironment(environment);
    input = fromEnvironment.input;
    problems.push(...fromEnvironment.problems);
    warnings.push(...fromEnvironment.warnings);
  } else {
    // The YAML parser is loaded only when there is a file: env-only starts do not carry it.
    const { parseConfigFile } = await import('./parse-config-file.ts');
    const parsed = parseConfigFile(await readConfigFile(file), file.path, environment);
    input = parsed.input;
    problems.push(...parsed.problems);
    warnings.push(...parsed.warnings);
    unsetKeys = parsed.unsetKeys;
    referenced = parsed.referenced;
    fileSetsListen = parsed.settings.has('listen');
  }
  const origin = file?.path ?? 'environment';
  // A value whose variable is unset or malformed is reported once, not again as invalid.
  const reported = new Set(problems.map((problem) => problem.slice(0, problem.indexOf(': ') + 2)));
  const unreported = (problem: string): boolean => !reported.has(problem.slice(0, problem.indexOf(': ') + 2));
  const result = gatewayConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    problems.push(...formatConfigIssues(result.error.issues).filter(unreported));
    throw new ConfigError(origin, withUnsetKeyProblems(problems, unsetKeys));
  }
  const config = result.data;
  const ignoredVariables: string[] = [];
  if (file !== undefined) {
    // A file is the whole config, but a client key the user set must never leave the gateway
    // open: CUSTOM_TOKEN / LLMUX_API_KEYS add to the file's keys, and are said to.
    const addedKeys = CLIENT_KEY_VARIABLES.some((variable) => referenced.has(variable))
      ? []
      : clientKeysFromEnvironment(environment).filter((added) => !config.keys.some((key) => key.key === added.key));
    if (addedKeys.length > 0) {
      config.keys.push(...addedKeys);
      const variables = CLIENT_KEY_VARIABLES.filter((variable) => (environment[variable] ?? '').trim() !== '');
      warnings.push(`client keys from ${variables.join(' and ')} are added to the keys of ${file.path}`);
    }
    const ignorable = [...ENVIRONMENT_ONLY_VARIABLES, ...(fileSetsListen ? ['OLLAMA_HOST'] : [])];
    ignoredVariables.push(...ignorable.filter((variable) => (environment[variable] ?? '').trim() !== '' && !referenced.has(variable)));
    if (ignoredVariables.length > 0) {
      warnings.push(
        `config file ${file.path} is in use, so these environment variables are ignored: ${ignoredVariables.join(', ')} ` +
          '(write them into the file as ${NAME}, or start without the file)',
      );
    }
  }
  const { skippedProviders, skippedIndexes } = settleUnsetKeys(config, unsetKeys, problems, warnings);
  problems.push(...checkConfigSemantics(config).filter(unreported));
  problems.push(...checkProviderSettings(config, skippedIndexes).filter(unreported));
  const ollamaHost = environment.OLLAMA_HOST?.trim();
  const listenFrom =
    !fileSetsListen && ollamaHost !== undefined && ollamaHost !== '' && (environment.HOST ?? '').trim() === '' && options.overrides?.host === undefined
      ? 'OLLAMA_HOST'
      : undefined;
  problems.push(...applyConfigOverrides(config, environment, options.overrides ?? {}, { fileSetsListen }));
  if (problems.length > 0) throw new ConfigError(origin, problems);

  config.providers = config.providers.filter((provider, index) => {
    if (skippedIndexes.has(index)) return false;
    const baseUrl = effectiveBaseUrl(provider);
    if (baseUrl === undefined || !pointsAtOwnListen(baseUrl, config.listen)) return true;
    const reason =
      provider.type === 'ollama'
        ? `its Ollama at ${baseUrl} is llmux's own listen address (${config.listen.host}:${config.listen.port}), which would loop; run llmux on another port (listen.port, PORT or --port) or point base_url (OLLAMA_BASE_URL) at the Ollama`
        : `its base URL is llmux's own address (${config.listen.host}:${config.listen.port}), which would loop`;
    skippedProviders.push({ id: provider.id, type: provider.type, reason });
    warnings.push(`provider '${provider.id}' is skipped: ${reason}`);
    return false;
  });
  const loaded: LoadedGatewayConfig = {
    config,
    source: file === undefined ? { kind: 'environment' } : { kind: 'file', path: file.path },
    warnings,
    skippedProviders,
    ignoredVariables,
  };
  if (listenFrom !== undefined) loaded.listenFrom = listenFrom;
  const origins = environment.OLLAMA_ORIGINS;
  if (origins !== undefined && origins.trim() !== '') loaded.ollamaOrigins = origins;
  return loaded;
}

/**
 * Decides about providers with unset key variables: a provider with other problems gets them
 * reported as problems too; one left with no key is skipped; one with keys left runs with those.
 */
function settleUnsetKeys(
  config: GatewayConfig,
  unsetKeys: ReadonlyMap<number, UnsetReference[]>,
  problems: string[],
  warnings: string[],
): { skippedProviders: SkippedProvider[]; skippedIndexes: Set<number> } {
  const skippedProviders: SkippedProvider[] = [];
  const skippedIndexes = new Set<number>();
  for (const [index, unset] of unsetKeys) {
    const provider = config.providers[index];
    if (provider === undefined) continue;
    if (problems.some((problem) => problem.startsWith(`providers[${index}]`))) {
      problems.push(...unset.map(describeUnset));
      continue;
    }
    const unsetPositions = new Set(unset.map((reference) => reference.path[3]).filter((position) => typeof position === 'number'));
    const apiKeyUnset = unset.some((reference) => reference.path[2] === 'api_key');
    const remainingKeys = (provider.api_keys ?? []).filter((_key, position) => !unsetPositions.has(position));
    const variables = `${unset.map((reference) => reference.variable).join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set`;
    if (remainingKeys.length === 0 && (apiKeyUnset || provider.api_key === undefined)) {
      skippedIndexes.add(index);
      skippedProviders.push({ id: provider.id, type: provider.type, reason: variables });
      warnings.push(`provider '${provider.id}' is skipped: ${variables} (${formatConfigPath(unset[0]?.path ?? [])})`);
      continue;
    }
    if (apiKeyUnset) delete provider.api_key;
    if (provider.api_keys !== undefined) provider.api_keys = remainingKeys;
    warnings.push(`provider '${provider.id}': ${variables}; running with its other keys`);
  }
  return { skippedProviders, skippedIndexes };
}

interface ConfigFile {
  path: string;
  /** How it was chosen, for messages: `--config`, `LLMUX_CONFIG`, or undefined for ./llmux.yaml. */
  namedBy: string | undefined;
}

async function locateConfigFile(options: LoadGatewayConfigOptions): Promise<ConfigFile | undefined> {
  if (options.configPath !== undefined) return { path: resolve(options.cwd, options.configPath), namedBy: '--config' };
  const fromEnvironment = options.environment.LLMUX_CONFIG?.trim();
  if (fromEnvironment !== undefined && fromEnvironment !== '') return { path: resolve(options.cwd, fromEnvironment), namedBy: 'LLMUX_CONFIG' };
  const local = resolve(options.cwd, 'llmux.yaml');
  const found = await stat(local).catch(() => undefined);
  return found === undefined ? undefined : { path: local, namedBy: undefined };
}

async function readConfigFile(file: ConfigFile): Promise<string> {
  try {
    return await readFile(file.path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    const named = file.namedBy === undefined ? '' : ` (from ${file.namedBy})`;
    const reason =
      code === 'ENOENT'
        ? `the file does not exist${named}; write one with 'llmux init', or omit it to configure llmux from the environment`
        : code === 'EISDIR'
          ? `this is a directory, not a file${named}`
          : code === 'EACCES'
            ? `permission denied${named}`
            : `cannot be read${named} (${code})`;
    throw new ConfigError(file.path, [reason]);
  }
}

/** When the config is invalid anyway, unset key variables are reported with everything else. */
function withUnsetKeyProblems(problems: string[], unsetKeys: Map<number, UnsetReference[]>): string[] {
  return [...problems, ...[...unsetKeys.values()].flat().map(describeUnset)];
}
