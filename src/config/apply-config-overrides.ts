import type { Environment } from './config-from-environment.ts';
import type { GatewayConfig } from './gateway-config-schema.ts';
import { parseOllamaHost } from './parse-ollama-host.ts';

/** Settings given on the command line; they win over the environment and the file. */
export interface CommandLineOverrides {
  port?: number;
  host?: string;
  allowOpen?: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * `PORT`, `HOST`, `LLMUX_LOG_LEVEL` and `LLMUX_ADMIN_KEY` override the config (file or environment), and the
 * command-line flags override both. `OLLAMA_HOST`, which Ollama users have set for Ollama's own
 * listen address, is llmux's listen address too, unless a config file says `listen:` (then it is
 * one of the ignored variables); `HOST`, `PORT` and the flags win over it. Mutates `config`;
 * returns problems naming the variable.
 */
export function applyConfigOverrides(
  config: GatewayConfig,
  environment: Environment,
  overrides: CommandLineOverrides,
  options: { fileSetsListen?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const ollamaHost = environment.OLLAMA_HOST?.trim();
  if (ollamaHost !== undefined && ollamaHost !== '' && options.fileSetsListen !== true) {
    const address = parseOllamaHost(ollamaHost);
    if (address === undefined) problems.push('OLLAMA_HOST: expected host[:port] or http://host:port (it sets the address llmux listens on, as it does for Ollama)');
    else config.listen = address;
  }
  const port = environment.PORT?.trim();
  if (port !== undefined && port !== '') {
    if (/^\d{1,5}$/.test(port) && Number(port) <= 65535) config.listen.port = Number(port);
    else problems.push('PORT: expected a port number 0–65535');
  }
  const host = environment.HOST?.trim();
  if (host !== undefined && host !== '') config.listen.host = host;
  const level = environment.LLMUX_LOG_LEVEL?.trim().toLowerCase();
  if (level !== undefined && level !== '') {
    const known = LOG_LEVELS.find((candidate) => candidate === level);
    if (known === undefined) problems.push(`LLMUX_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}`);
    else config.log_level = known;
  }
  const adminKey = environment.LLMUX_ADMIN_KEY?.trim();
  if (adminKey !== undefined && adminKey !== '') config.admin_key = adminKey;
  if (overrides.port !== undefined) config.listen.port = overrides.port;
  if (overrides.host !== undefined) config.listen.host = overrides.host;
  if (overrides.allowOpen === true) config.allow_open = true;
  return problems;
}
