import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTemporaryDirectory } from './cli-harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The system Node (20 on this machine kind), the one a user runs `llmux` with by mistake. */
function oldSystemNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      const [major, minor] = version.split('.').map(Number) as [number, number];
      if (major < 22 || (major === 22 && minor < 19)) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}
const oldNode = oldSystemNode();
const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

describe('bin/llmux.js on a Node older than 22.19', { skip: oldNode === undefined ? 'no Node older than 22.19 on this machine' : false }, () => {
  it('in the checkout, points at the Node 24 that npm install put in node_modules', () => {
    const result = spawnSync(oldNode as string, [join(root, 'bin/llmux.js'), '--version'], { encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^llmux needs Node\.js 22\.19 or newer; this is v\d+\.\d+\.\d+\.\nIn this checkout, run it as `npm start -- ARGS`/);
  });

  it('installed as a package (no pinned Node beside it), says to install Node 24', async () => {
    const directory = await makeTemporaryDirectory();
    cleanups.push(() => directory.remove());
    mkdirSync(join(directory.path, 'bin'));
    mkdirSync(join(directory.path, 'scripts'));
    copyFileSync(join(root, 'bin/llmux.js'), join(directory.path, 'bin/llmux.js'));
    copyFileSync(join(root, 'scripts/ensure-built.js'), join(directory.path, 'scripts/ensure-built.js'));
    writeFileSync(join(directory.path, 'package.json'), '{"type":"module"}\n');
    const result = spawnSync(oldNode as string, [join(directory.path, 'bin/llmux.js'), '--version'], { encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /\nInstall Node\.js 24 \(https:\/\/nodejs\.org, or `nvm install 24`\) and run llmux with it\.\n$/);
    assert.doesNotMatch(result.stderr, /checkout/);
  });
});
