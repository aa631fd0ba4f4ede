#!/usr/bin/env node
// `npx llmux …` from the checkout. llmux is TypeScript run by Node's own type stripping: on by
// default from Node 22.18 / 23.6, behind --experimental-strip-types from 22.6, absent before.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `llmux needs Node.js 22.12 or newer; this is ${process.version}.\n` +
      'From the llmux checkout, run it as `npm start -- ARGS` or `npx llmux ARGS`: both use the Node 24 that `npm install` put in node_modules.\n',
  );
  process.exit(1);
}

const stripsTypesByDefault = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
if (stripsTypesByDefault) {
  await import(main);
} else {
  // Same process semantics as a direct run: stdio shared, SIGTERM passed on, exit code kept.
  // Ctrl-C already reaches the child (same process group); passing SIGINT on as well would count
  // as a second Ctrl-C, which stops llmux without draining.
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', main, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}
