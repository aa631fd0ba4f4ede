import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { processEnvironment } from '../bench/process-environment.ts';
import { makeTemporaryDirectory } from './cli-harness.ts';

const BIN = fileURLToPath(new URL('../bin/llmux.js', import.meta.url));

/** `node [nodeFlags] bin/llmux.js serve` until it listens; the Node flags, MALLOC_ variables and GLIBC_TUNABLES its process runs with (from /proc). */
async function servingFlags(config: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<string[]> {
  const child = spawn(process.execPath, [...nodeFlags, BIN, 'serve', '--config', config, '--port', '0'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        if (stderr.includes('llmux listening on')) resolve();
      });
      child.once('exit', () => reject(new Error(`llmux exited before listening: ${stderr}`)));
    });
    // The same pid throughout: the process replaced itself rather than starting a child.
    const args = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    const environment = processEnvironment(child.pid ?? -1);
    return [...args.filter((arg) => arg.startsWith('--max-') || arg === '--expose-gc' || /(allocation-site-pretenuring|concurrent[-_]recompilation)$/.test(arg)), ...environment.filter((entry) => entry.startsWith('MALLOC_') || entry.startsWith('GLIBC_TUNABLES='))];
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('llmux serve runs Node with smaller heap defaults', { skip: !existsSync('/proc/self/cmdline') && 'needs /proc' }, () => {
  let directory: { path: string; remove(): Promise<void> };
  let config: string;
  before(async () => {
    directory = await makeTemporaryDirectory();
    config = join(directory.path, 'heap.yaml');
    await writeFile(config, 'log_level: silent\n');
  });
  after(() => directory.remove());

  it("starts with a 1 GB old generation, 4 MB semi-spaces, gc() for the idle collector, no pretenuring, optimisation on the main thread, glibc's trim threshold fixed and its per-thread cache off", async () => {
    const flags = ['--max-old-space-size=1024', '--max-semi-space-size=4', '--expose-gc', '--no-allocation-site-pretenuring', '--no-concurrent-recompilation'];
    const tcacheOff = 'GLIBC_TUNABLES=glibc.malloc.tcache_count=0';
    const serving = await servingFlags(config, {});
    assert.deepEqual(serving.slice(0, flags.length), flags);
    assert.deepEqual(new Set(serving.slice(flags.length)), new Set(['MALLOC_TRIM_THRESHOLD_=131072', tcacheOff]));
    const own = await servingFlags(config, { MALLOC_TRIM_THRESHOLD_: '65536', GLIBC_TUNABLES: 'glibc.malloc.tcache_count=7' });
    assert.deepEqual(new Set(own.slice(flags.length)), new Set(['MALLOC_TRIM_THRESHOLD_=65536', 'GLIBC_TUNABLES=glibc.malloc.tcache_count=7']), "the user's own threshold and cache size win");
    // Other tunables of the user's are kept, and the cache is turned off beside them.
    const other = await servingFlags(config, { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    assert.ok(other.includes('GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.tcache_count=0'), other.join(' '));
  });

  it('lets a setting the user gave Node win over its own for that setting alone', async () => {
    const trim = 'MALLOC_TRIM_THRESHOLD_=131072';
    const tcacheOff = 'GLIBC_TUNABLES=glibc.malloc.tcache_count=0';
    // Memory per stream traded for CPU per request (README, "Memory against CPU"): the other settings stay.
    assert.deepEqual(await servingFlags(config, { NODE_OPTIONS: '--max-semi-space-size=16' }), ['--max-old-space-size=1024', '--expose-gc', '--no-allocation-site-pretenuring', '--no-concurrent-recompilation', trim, tcacheOff]);
    // Spelt with underscores; turned the other way on node's command line (V8 takes it only there).
    const flags = await servingFlags(config, { NODE_OPTIONS: '--max_old_space_size=300' }, ['--allocation-site-pretenuring', '--concurrent_recompilation']);
    assert.deepEqual(flags, ['--max-semi-space-size=4', '--expose-gc', '--allocation-site-pretenuring', '--concurrent_recompilation', trim, tcacheOff]);
    // Every setting given: the process does not replace itself at all (no MALLOC_ variable set).
    const given = await servingFlags(config, { NODE_OPTIONS: '--max-old-space-size=300 --max-semi-space-size=8 --expose-gc' }, ['--no-allocation-site-pretenuring', '--no-concurrent-recompilation']);
    assert.deepEqual(given, ['--no-allocation-site-pretenuring', '--no-concurrent-recompilation']);
  });

  it('leaves Node as it is with LLMUX_NODE_DEFAULTS=off', async () => {
    assert.deepEqual(await servingFlags(config, { LLMUX_NODE_DEFAULTS: 'off' }), []);
  });

  it('gives back what starting left with one full collection once it has started', async () => {
    // `--trace-gc` lines go to stdout; a collection asked for through `gc()` is traced as "testing".
    const child = spawn(process.execPath, ['--trace-gc', BIN, 'serve', '--config', config, '--port', '0'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let listening = false;
      let stdout = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up collection traced after listening:\n${stdout}`)), 10_000);
        const check = (): void => {
          if (listening && /Mark-Compact \(reduce\)[^\n]*testing/.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stderr.on('data', (data: Buffer) => {
          if (data.toString().includes('llmux listening on')) listening = true;
          check();
        });
        child.stdout.on('data', (data: Buffer) => {
          stdout += data.toString();
          check();
        });
        child.once('exit', () => reject(new Error(`llmux exited: ${stdout}`)));
      });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
