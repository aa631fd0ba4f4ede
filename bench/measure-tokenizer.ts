import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countTokens } from 'gpt-tokenizer';
import { loadTextTokenizer } from '../src/tokens/text-tokenizer.ts';

/**
 * `npm run bench:tokenizer`: how long token counting holds the event loop on a long run of letters
 * (the whole gpt-tokenizer call, as llmux once did, against llmux's TextTokenizer, which cuts long
 * runs and yields between slices), and how long the first `/api/generate` after start waits for the
 * tokenizer, loaded on first use (as llmux serve does) or in the background at start. Reports only.
 */
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '40000,80000,160000' }, runs: { type: 'string', default: '3' } } });
const sizes = values.sizes.split(',').map(Number);
const benchDirectory = dirname(fileURLToPath(import.meta.url));

function letters(length: number): string {
  let seed = 42;
  let text = '';
  for (let index = 0; index < length; index++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    text += 'ACGT'[seed % 4];
  }
  return text;
}

/** Runs `work` while measuring the longest stretch the event loop was held. */
async function timed(work: () => Promise<unknown> | unknown): Promise<{ totalMs: number; longestBlockMs: number }> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  await work();
  const totalMs = performance.now() - started;
  running = false;
  longest = Math.max(longest, performance.now() - last);
  return { totalMs, longestBlockMs: longest };
}

const tokenizer = await loadTextTokenizer();
countTokens('warm up');
console.log('| letters | whole-run countTokens (before) | llmux TextTokenizer total | longest event-loop block |');
console.log('|---:|---:|---:|---:|');
for (const size of sizes) {
  const text = letters(size);
  const before = await timed(() => countTokens(text));
  const after = await timed(() => tokenizer.count(text));
  console.log(`| ${size.toLocaleString('en')} | ${before.totalMs.toFixed(0)} ms | ${after.totalMs.toFixed(1)} ms | ${after.longestBlockMs.toFixed(1)} ms |`);
}

const child = join(benchDirectory, 'first-generate-child.ts');
function firstGenerate(preload: boolean, delayMs: number): number {
  const args = [child, '--delay-ms', String(delayMs), ...(preload ? ['--preload'] : [])];
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim());
}
console.log('\n| first /api/generate after start, instant upstream | loaded on first use (llmux serve) | background load at start |');
console.log('|---|---:|---:|');
for (const delayMs of [1000, 0]) {
  const before: number[] = [];
  const after: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    before.push(firstGenerate(false, delayMs));
    after.push(firstGenerate(true, delayMs));
  }
  const median = (list: number[]): string => `${[...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]?.toFixed(1)} ms`;
  console.log(`| request ${delayMs} ms after listening (median of ${values.runs}) | ${median(before)} | ${median(after)} |`);
}
