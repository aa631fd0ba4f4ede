import { Command, InvalidArgumentError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import type { CliContext } from './cli-context.ts';
import { CliFailure } from './cli-failure.ts';

/**
 * The `llmux` command line. `serve` is the default command, so `llmux --port 8080` serves;
 * `npm start -- ARGS` runs exactly `llmux ARGS`. Commands are imported when run, so `--help`,
 * `init` and `keys` do not load the server.
 */
export function createCliProgram(context: CliContext): Command {
  const program = new Command('llmux')
    .description(packageJson.description)
    .version(packageJson.version, '-v, --version')
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
      if (word !== undefined) throw unknownCommand(word, program);
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
    .description('validate the config and probe each provider by listing its models')
    .option('-c, --config <file>', 'config file')
    .action(async (flags: { config?: string }) => (await import('./check-command.ts')).checkCommand(flags, context));

  program
    .command('keys')
    .description('manage stored client keys (not available yet)')
    .argument('[arguments...]')
    .allowUnknownOption()
    .action(() => {
      throw new CliFailure('stored client keys are not available yet; client keys come from keys: in llmux.yaml or from LLMUX_API_KEYS / CUSTOM_TOKEN');
    });

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
  POE_BASE_URL, CEREBRAS_BASE_URL, OPENAI_BASE_URL, ANTHROPIC_BASE_URL
                                  move a provider
  GEMINI_API_KEY, OLLAMA_HOST
                                  recognised, but the gemini and ollama provider
                                  types are not built in this version yet: they are skipped
  CUSTOM_TOKEN, LLMUX_API_KEYS    client keys (LLMUX_API_KEYS is a comma list)
  MODEL_MAPPING                   {"client-name":"upstream-name"}; a bare upstream name goes to
                                  the first enabled provider in the order above,
                                  "<provider>/<model>" to that provider
  DEFAULT_MODEL, CAI_MODEL        model for unknown names (a bare CAI_MODEL is a Cerebras model)
  PROXY_TYPE (http|socks), PROXY_HOST, PROXY_PORT, PROXY_USERNAME, PROXY_PASSWORD
                                  proxy for the poe provider
Always: LLMUX_CONFIG (config file), PORT, HOST, LLMUX_LOG_LEVEL, OLLAMA_ORIGINS.`;

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

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number 0–65535.');
  return Number(value);
}
