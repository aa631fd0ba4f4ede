// Makes sure dist/ holds a build of src/ at least as new as the sources, building it when not.
// llmux runs from that build: Node's type stripping costs about 30 MB of memory and start-up
// time in every process, a one-time compile does not. Without a compiler (an install without
// dev dependencies) it answers null and the caller runs the TypeScript sources directly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const entry = join(root, 'dist', 'src', 'main.js');
// Held by the process building dist/ (it names its pid): processes started meanwhile wait for its
// build instead of building too, or loading a half-written one.
const lock = join(root, 'dist.building');

/** The built entry point's path, or null when llmux should run from its sources. */
export function ensureBuilt() {
  // An installed package (npm pack) carries its build and no sources: nothing to compare.
  if (existsSync(entry) && !existsSync(join(root, 'src'))) return entry;
  if (isFresh()) return entry;
  const compiler = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
  if (!existsSync(compiler)) return null;
  if (!takeLock()) return isFresh() ? entry : null;
  try {
    // Another process may have finished a build while this one waited for the lock.
    if (isFresh()) return entry;
    process.stderr.write('llmux: compiling (first start, or the sources changed)…\n');
    const started = Date.now();
    const result = spawnSync(compiler, ['-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) {
      process.stderr.write(`${result.stdout}${result.stderr}llmux: the build failed; running from the sources instead\n`);
      return null;
    }
    writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
    return entry;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isFresh() {
  return existsSync(entry) && existsSync(stamp) && newestSource() <= statSync(stamp).mtimeMs;
}

/**
 * Takes the build lock, waiting while a live process holds it (one that died holding it is
 * ignored). False when it could not be taken: the lock's directory cannot be written.
 */
function takeLock() {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return true;
    } catch (error) {
      if (error?.code !== 'EEXIST') return false;
    }
    if (!holderAlive()) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    Atomics.wait(pause, 0, 0, 100);
  }
}

function holderAlive() {
  let pid;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Just taken and its pid not written yet; a holder that died before writing it is given up after 10 s.
    try {
      return Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error?.code === 'EPERM';
  }
}

function newestSource() {
  let newest = 0;
  for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  const walk = (directory) => {
    for (const item of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, item.name);
      if (item.isDirectory()) walk(path);
      else if (item.name.endsWith('.ts') && !item.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  return newest;
}

// `node scripts/ensure-built.js` (npm's prepack): build now, and fail when the build fails.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = ensureBuilt() === null ? 1 : 0;
}
