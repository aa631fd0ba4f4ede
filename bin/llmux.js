#!/usr/bin/env node
// `npx llmux …` and `npm start -- …`: llmux from its compiled build (rebuilt when the sources
// changed), or from the TypeScript sources where no compiler is installed.
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/ensure-built.js';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `llmux needs Node.js 22.12 or newer; this is ${process.version}.\n` +
      'From the llmux checkout, run it as `npm start -- ARGS` or `npx llmux ARGS`: both use the Node 24 that `npm install` put in node_modules.\n',
  );
  process.exit(1);
}

const built = ensureBuilt();
if (built !== null) {
  await import(built);
} else {
  const stripsTypes = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
  if (!stripsTypes) {
    process.stderr.write(`llmux: no build, and Node ${process.version} cannot run TypeScript directly; run \`npm install\` (it installs the compiler) or use Node 22.18 or newer.\n`);
    process.exit(1);
  }
  await import(fileURLToPath(new URL('../src/main.ts', import.meta.url)));
}
