import { runCli } from './cli/run-cli.ts';

// Entry point of `llmux`, `npm start` and bin/llmux.js: the command line, with the real process.
process.exitCode = await runCli(process.argv.slice(2), {
  environment: process.env,
  // Under an npm script (`npm start`, `npm --prefix DIR start`) the process runs in llmux's own
  // directory; paths the user typed are relative to where npm was called, which npm passes as INIT_CWD.
  cwd: process.env.npm_lifecycle_event !== undefined && (process.env.INIT_CWD ?? '') !== '' ? (process.env.INIT_CWD ?? process.cwd()) : process.cwd(),
  print: (line) => process.stdout.write(`${line}\n`),
  notice: (line) => process.stderr.write(`${line}\n`),
});
