#!/usr/bin/env node
// `npx llmux …` and `npm start -- …`: llmux from its compiled build (rebuilt when the sources
// changed), or from the TypeScript sources where no compiler is installed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/ensure-built.js';

const [major, minor] = process.versions.node.split('.').map(Number);
// undici 8 (the upstream HTTP client) supports Node 22.19 and newer (its `engines`).
if (major < 22 || (major === 22 && minor < 19)) {
  // In a checkout, `npm install` put a Node 24 in node_modules (a devDependency); an installed
  // package has none, and its user needs a newer Node itself.
  const pinned = existsSync(fileURLToPath(new URL('../node_modules/node/package.json', import.meta.url)));
  process.stderr.write(
    `llmux needs Node.js 22.19 or newer; this is ${process.version}.\n` +
      (pinned
        ? 'In this checkout, run it as `npm start -- ARGS` or `npx llmux ARGS`: both use the Node 24 that `npm install` put in node_modules.\n'
        : 'Install Node.js 24 (https://nodejs.org, or `nvm install 24`) and run llmux with it.\n'),
  );
  process.exit(1);
}

// V8's old-generation limit follows the machine's memory, so a long-running gateway's heap grows
// to several hundred MB of mostly spare space; a fixed limit keeps RSS nearer what is live
// (bench/README.md, soak). The young generation is capped at 4 MB semi-spaces: V8's own default on a
// large machine let 1,000 open streams cost 100–114 KB each. A burst grows the young generation to its
// cap and open streams keep it there, so the cap is paid once, whatever the number of streams: in the
// bench's memory section (2026-12) 16 MB semi-spaces held 1,000 streams at 69–79 KB each, 8 MB at
// 63–68 KB, 4 MB at 57–68 KB (V8's heap 59–60, 46–48 and 45–46 KB per stream). It has a CPU price:
// a young collection pauses 1.0–1.8 ms whatever the cap (it copies what the requests in flight hold),
// and at 4 MB there are four times as many as at 16 (2026-12-07, 30,000 requests at 50 connections:
// 10–15 µs of collection per request against 4–5), so paired runs of bench/measure-request-cost.ts
// read 8–18 % more CPU per non-streamed request than at 16 MB (bench/README.md). The cap stays at
// 4 MB for the per-stream memory target; the bench's ceiling runs the bare proxy with these same
// flags to show what they cost it. 2 MB had cost twice the CPU. `--expose-gc` lets
// llmux collect once it has been idle for 20 s after a burst (src/server/idle-heap-collector.ts), so
// its resident memory comes back down instead of staying at the burst's high-water mark. The process
// replaces itself once with these flags, keeping its pid.
// `--no-allocation-site-pretenuring`: V8 allocates the objects of a site straight into the old
// generation once it has seen many of them survive a young collection. A gateway's objects live as
// long as a request or a stream chunk, and a slow stream's (a chunk queue that waits for the next
// chunk) tripped it: those objects then went to the old generation, where, once dropped, they still
// pointed at the young ones they held (the chunk Buffers and the network reads under them), keeping
// those alive and promoted until a full collection. Measured (2026-12): with 1,000 slow streams held,
// objects surviving young collections 2,455 → 175 KB/s; in paired rounds, CPU per non-streamed request
// 138 → 132 µs (median of 14), per streamed chunk while held 48–55 → 44–52 µs.
// MALLOC_TRIM_THRESHOLD_ (glibc; other C libraries ignore it) fixes the C allocator's trim threshold at
// its default: left dynamic, glibc raises it after a large block is freed and then keeps what a thread
// freed, such as the 9.5 MB V8 used on a helper thread to compile undici's HTTP parser (WebAssembly)
// on the first upstream call (RSS idle 105 → 96 MB; CPU per request unchanged in paired runs).
// `--no-concurrent-recompilation`: V8 optimises hot functions on the main thread instead of on helper
// threads. A burst of new work (the first 1,000 open streams) has V8 optimise many functions at once;
// on helper threads their compiler memory comes from the C allocator's per-thread arenas, which keep
// it once freed (malloc_trim gives it back; nothing else does). Measured (2026-12-07, the bench's
// memory section, three runs each): memory outside V8's heap while 1,000 streams are open 9–23 →
// 1.4–1.6 KB per stream, RSS per stream 54–70 → 46–48 KB, RSS after they closed +13.5–22.7 % →
// +3.4–3.8 % of before. CPU per non-streamed request 1.04× and 1.05× in paired fresh rounds (IQRs
// 0.97–1.21 and 0.97–1.30); CPU per streamed event and the first byte unchanged. Its price: start-up's
// own optimisations now leave their free memory in the main arena, RSS idle 94–96 → 94–102 MB.
// GLIBC_TUNABLES glibc.malloc.tcache_count=0 (glibc; other C libraries ignore it) turns glibc's
// per-thread cache of freed small blocks off: a block waiting in that cache next to the top of the
// heap stops glibc from giving back the free memory below it, which is where start-up's freed
// compiler memory lay. Measured (2026-12-08): RSS idle 101.5–102.4 → 92.2–94.0 MB. CPU per
// non-streamed request in paired fresh rounds (bench/measure-request-cost.ts, 12 rounds, both
// orders): each order read the second-measured process 0.93× of the first, with or without it, so
// no price that the order of measuring does not explain (bench/README.md). A user's own
// GLIBC_TUNABLES keeps its settings; tcache_count is added to it unless it names one.
const HEAP_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=4', '--expose-gc', '--no-allocation-site-pretenuring', '--no-concurrent-recompilation'];
// A setting the user gave Node (NODE_OPTIONS, or node's own command line) wins over llmux's for that
// setting alone: `NODE_OPTIONS=--max-semi-space-size=16` trades memory per stream for CPU per request
// (README, "Memory against CPU") and keeps the others. Already running with all of them (this
// process replaced itself, or the user gave them all): nothing to do.
const TCACHE_OFF = 'glibc.malloc.tcache_count=0';
/** A user's GLIBC_TUNABLES (`name=value:name=value`) with the per-thread cache off, unless it sets the cache's size itself. */
const withTcacheOff = (tunables) => {
  if (tunables === undefined || tunables === '') return TCACHE_OFF;
  return tunables.split(':').some((entry) => entry.startsWith('glibc.malloc.tcache_count=')) ? tunables : `${tunables}:${TCACHE_OFF}`;
};
const settingOf = (flag) => flag.replace(/^--/, '').replace(/=.*$/, '').replaceAll('_', '-').replace(/^no-/, '');
const userSettings = new Set([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter((flag) => flag.startsWith('--')).map(settingOf));
const missing = HEAP_FLAGS.filter((flag) => !userSettings.has(settingOf(flag)));
if (missing.length > 0 && process.env.LLMUX_NODE_DEFAULTS !== 'off' && typeof process.execve === 'function') {
  const environment = { MALLOC_TRIM_THRESHOLD_: '131072', ...process.env, GLIBC_TUNABLES: withTcacheOff(process.env.GLIBC_TUNABLES) };
  process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], environment);
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
