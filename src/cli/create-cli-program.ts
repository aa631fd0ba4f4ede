import { Command, InvalidArgumentError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';
import type { KeysAction, KeysFlags } from './keys-command.ts';
import type { UsageFlags } from './usage-command.ts';

/**
 * The `llmux` command line. `serve` is the default command, so `llmux --port 8080` serves;
 * `npm start -- ARGS` runs exactly `llmux ARGS`. Commands are imported when run, so `--help`,
 * `init`, `keys` and `usage` do not load the server.
 */
export function createCliProgram(context: CliContext): Command {
  const program = new Command('llmux')
    .description(packageJson.description)
    .version(packageJson.version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.print(text.trimEnd()),
      writeErr: (text) => context.notice(text.trimEnd()),
    })
    .showHelpAfterError('(run llmux --help for usage)')
    .addHelpText('after', ENVIRONMENT_HELP);

  program
    .command('serve', { isDefault: true })
    .description('start the gateway (the default command)')
    .option('-c, --config <file>', 'config file (default: $LLMUX_CONFIG, else ./llmux.yaml, else the environment)')
    .option('-p, --port <port>', 'port to listen on (default 11434; overrides PORT and the config)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1; overrides HOST and the config)')
    .option('--allow-open', 'allow a non-loopback listen with no client keys')
    // As the default command, serve receives any word that names no command (`llmux modles`):
    // that is an unknown command, not a surplus argument to serve.
    .allowExcessArguments()
    .action(async (flags: { config?: string; port?: number; host?: string; allowOpen?: boolean }, serve: Command) => {
      const [word] = serve.args;
      if (word !== undefined && program.args[0] === 'serve') throw new CliFailure(`serve takes no arguments, got '${word}' (run llmux serve --help)`);
      if (word !== undefined) throw npmSwallowedFlag(word, context) ?? unknownCommand(word, program);
      const allowOpen = npmSwallowedFlag('true', context, ['allow_open']);
      if (allowOpen !== undefined && flags.allowOpen !== true) throw allowOpen;
      return (await import('./serve-command.ts')).serveCommand(flags, context);
    });

  program
    .command('init')
    .description('write a commented llmux.yaml to start from')
    .option('-f, --force', 'overwrite an existing file')
    .option('-c, --config <file>', 'where to write it', 'llmux.yaml')
    .action(async (flags: { force?: boolean; config?: string }) => (await import('./init-command.ts')).initCommand(flags, context));

  program
    .command('models')
    .description('list the model names clients can use, and where each routes')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { config?: string; json?: boolean }) => (await import('./models-command.ts')).modelsCommand(flags, context));

  program
    .command('check')
    .description('validate the config, probe each provider and check the model names it routes to')
    .option('-c, --config <file>', 'config file')
    .option('--timeout <seconds>', 'how long each provider may take to answer (default 15)', parseSeconds)
    .action(async (flags: { config?: string; timeout?: number }) => (await import('./check-command.ts')).checkCommand(flags, context));

  program
    .command('version')
    .description('print the version')
    .action(() => context.print(packageJson.version));

  const keys = program.command('keys').description('manage stored client keys (create, list, show, update, revoke)');
  const keyLimits = (command: Command, update: boolean): Command =>
    command
      .option('--models <names>', `comma-separated models the key may use${update ? " ('none' lifts the list)" : ' (default: all)'}`)
      .option('--rpm <n>', `requests per minute${update ? " ('none' lifts it)" : ''}`)
      .option('--tpm <n>', `tokens per minute${update ? " ('none' lifts it)" : ''}`)
      .option('--budget <usd/period>', `spending cap like 25/month or 5/day${update ? " ('none' lifts it)" : ''}`)
      .option('-c, --config <file>', 'config file (for state.sqlite)');
  const runKeys = (action: KeysAction) => async (name: string | undefined, flags: KeysFlags) => (await import('./keys-command.ts')).keysCommand(action, name, flags, context);
  keyLimits(keys.command('create').description('create a key and print its secret once').argument('[name]').option('--name <name>', 'the key name'), false).action(runKeys('create'));
  keys
    .command('list')
    .description('list stored keys (never their secrets)')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file (for state.sqlite)')
    .action(async (flags: KeysFlags) => (await import('./keys-command.ts')).keysCommand('list', undefined, flags, context));
  keys.command('show').description('show one key').argument('<name>').option('--json', 'print JSON').option('-c, --config <file>', 'config file (for state.sqlite)').action(runKeys('show'));
  keyLimits(keys.command('update').description("change a key's models, limits or budget").argument('<name>'), true).action(runKeys('update'));
  keys.command('revoke').description('revoke a key; running servers refuse it within a second').argument('<name>').option('-c, --config <file>', 'config file (for state.sqlite)').action(runKeys('revoke'));

  program
    .command('usage')
    .description('requests, tokens and spend from the usage records')
    .option('--by <grouping>', 'key, model, provider or day', 'key')
    .option('--since <span>', 'how far back: 7d, 24h, 30m, 2w or a date like 2026-01-01', '30d')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file (for state.sqlite)')
    .action(async (flags: UsageFlags) => (await import('./usage-command.ts')).usageCommand(flags, context));

  return program;
}

/** Env-only mode (no config file), as configFromEnvironment reads it. */
const ENVIRONMENT_HELP = `
With no config file, llmux is configured from the environment:
  POE_API_KEY or SYSTEM_TOKEN     enable provider poe
  POE_PROTOCOL (openai|bot)       Poe's OpenAI-compatible API (default) or its bot protocol
  POE_UPLOAD_URL                  where the bot protocol uploads attachments
  CEREBRAS_API_KEY                enable provider cerebras
  OPENAI_API_KEY                  enable provider openai (https://api.openai.com/v1)
  ANTHROPIC_API_KEY               enable provider anthropic (https://api.anthropic.com)
  GEMINI_API_KEY, GOOGLE_API_KEY  enable provider gemini (GOOGLE_API_KEY first)
  OLLAMA_BASE_URL                 enable provider ollama: the upstream Ollama (not OLLAMA_HOST)
  OLLAMA_API_KEY                  key for Ollama's cloud (alone: https://ollama.com)
  POE_BASE_URL, CEREBRAS_BASE_URL, OPENAI_BASE_URL, ANTHROPIC_BASE_URL, GEMINI_BASE_URL
                                  move a provider
  CUSTOM_TOKEN, LLMUX_API_KEYS    client keys (LLMUX_API_KEYS is a comma list); with a config
                                  file they are added to its keys
  MODEL_MAPPING                   {"client-name":"upstream-name"}; a bare upstream name goes to
                                  the enabled provider that lists it (else the first in the
                                  order above), "<provider>/<model>" to that provider
  DEFAULT_MODEL, CAI_MODEL        model for unknown names (a bare CAI_MODEL is a Cerebras model)
  PROXY_TYPE (http|socks), PROXY_HOST, PROXY_PORT, PROXY_USERNAME, PROXY_PASSWORD
                                  proxy for the poe provider
With a config file the variables above are not read (one warning lists those set).
Always: LLMUX_CONFIG (config file), PORT, HOST, LLMUX_LOG_LEVEL, OLLAMA_ORIGINS, and
OLLAMA_HOST (the listen address, as for Ollama; HOST, PORT and a file's listen: win).`;

/** The serve flags npm takes for its own config when they come before `--` in `npm start --port 8080`. */
const SERVE_FLAGS = ['port', 'host', 'config', 'allow_open'];

/**
 * `npm start --port 8080` (no `--`): npm keeps `--port` as its own setting (npm_config_port) and
 * passes only `8080` on. Recognised by that variable, and answered with the command that works.
 */
function npmSwallowedFlag(word: string, context: CliContext, flags: readonly string[] = SERVE_FLAGS): CliFailure | undefined {
  const environment = context.environment;
  if (environment.npm_lifecycle_event === undefined) return undefined;
  for (const flag of flags) {
    if (environment[`npm_config_${flag}`] !== word) continue;
    const option = `--${flag.replace('_', '-')}`;
    const shown = flag === 'allow_open' ? option : `${option} ${word}`;
    return new CliFailure(`npm took ${option} for itself: put -- before llmux's flags, as in npm ${environment.npm_lifecycle_event} -- ${shown}`);
  }
  return undefined;
}

function unknownCommand(word: string, program: Command): CliFailure {
  const names = program.commands.map((command) => command.name()).filter((name) => name !== 'help');
  const near = names.find((name) => isNearMiss(word, name));
  return new CliFailure(`unknown command '${word}' (${near === undefined ? '' : `did you mean '${near}'? `}run llmux --help)`);
}

/** One edit apart (a letter wrong, missing, added, or two swapped): the typos worth a suggestion. */
function isNearMiss(typed: string, name: string): boolean {
  if (typed === name || Math.abs(typed.length - name.length) > 1) return false;
  let start = 0;
  while (start < typed.length && typed[start] === name[start]) start++;
  let end = 0;
  while (end < typed.length - start && end < name.length - start && typed.at(-1 - end) === name.at(-1 - end)) end++;
  const typedMiddle = typed.slice(start, typed.length - end);
  const nameMiddle = name.slice(start, name.length - end);
  if (typedMiddle.length <= 1 && nameMiddle.length <= 1) return true;
  return typedMiddle.length === 2 && typedMiddle === [...nameMiddle].reverse().join('');
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0) throw new InvalidArgumentError('expected a number of seconds above 0.');
  return seconds;
}

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number 0–65535.');
  return Number(value);
}
