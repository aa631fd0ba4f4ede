import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage } from '../src/canonical/chat-message.ts';
import { countPrompt } from '../src/routing/prompt-token-counter.ts';
import { loadTextTokenizer } from '../src/tokens/text-tokenizer.ts';

/**
 * `npm run bench:tokenizer`: how long token counting holds the event loop on a long run of letters
 * (the whole gpt-tokenizer call, as llmux once did, against llmux's TextTokenizer, which cuts long
 * runs and yields between slices), and how long the first `/api/generate` after start waits for the
 * tokenizer, loaded on first use (as llmux serve does) or in the background at start, and what
 * counting an agent conversation's prompt costs per turn (the whole text each time, as llmux once
 * did, against llmux's count, which remembers each message's). Reports only.
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

// An agent's conversation (Claude Code's shape: a long system prompt, a long tool list, turns
// added two messages at a time), its prompt counted at every turn as a stream to an upstream
// that reports usage only at the end needs it for `message_start`.
const prose = letters(200_000).replace(/(.{5})/g, '$1 ').replace(/(.{80})/g, '$1\n');
const system = prose.slice(0, 40_000);
const tools = Array.from({ length: 30 }, (_, index) => ({ name: `tool_${index}`, description: prose.slice(index * 1200, index * 1200 + 1200), parameters: { type: 'object', properties: { path: { type: 'string' } } } }));
function wholeText(messages: readonly ChatMessage[]): string {
  let text = '';
  for (const message of messages) for (const part of message.parts) text += `${message.role}\n${part.type === 'text' ? part.text : ''}\n`;
  return text + JSON.stringify(tools);
}
const conversation: ChatMessage[] = [{ role: 'system', parts: [{ type: 'text', text: system }] }];
const wholeMs: number[] = [];
const llmuxMs: number[] = [];
for (let turn = 0; turn < 30; turn++) {
  conversation.push({ role: 'user', parts: [{ type: 'text', text: prose.slice(40_000 + turn * 2000, 41_000 + turn * 2000) }] });
  wholeMs.push((await timed(() => tokenizer.count(wholeText(conversation)))).totalMs);
  llmuxMs.push((await timed(() => countPrompt(tokenizer, conversation, tools))).totalMs);
  conversation.push({ role: 'assistant', parts: [{ type: 'text', text: prose.slice(41_000 + turn * 2000, 42_000 + turn * 2000) }] });
}
const turnMedian = (list: number[]): string => `${[...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]?.toFixed(2)} ms`;
console.log('\n| agent conversation, 30 turns (40 KB system prompt, 36 KB of tools) | whole prompt counted each turn (before) | llmux, each message remembered |');
console.log('|---|---:|---:|');
console.log(`| first turn | ${wholeMs[0]?.toFixed(1)} ms | ${llmuxMs[0]?.toFixed(1)} ms |`);
console.log(`| later turns (median of turns 2–30) | ${turnMedian(wholeMs.slice(1))} | ${turnMedian(llmuxMs.slice(1))} |`);

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
