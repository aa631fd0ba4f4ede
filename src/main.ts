import { runCli } from './cli/run-cli.ts';

// Entry point of `llmux`, `npm start` and bin/llmux.js: the command line, with the real process.
process.exitCode = await runCli(process.argv.slice(2), {
  environment: process.env,
  cwd: process.cwd(),
  print: (line) => process.stdout.write(`${line}\n`),
  notice: (line) => process.stderr.write(`${line}\n`),
});
