import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { anthropicMessagesEndpoint, ollamaChatEndpoint, ollamaGenerateEndpoint, openaiChatEndpoint, openaiCompletionEndpoint, responsesEndpoint, type BenchEndpoint } from './bench-endpoint.ts';
import { BenchSession } from './bench-session.ts';
import { BENCH_CLIENT_KEY, FAKE_MODEL } from './fake-upstream.ts';
import { formatBytes } from './format-figure.ts';
import { startLlmux } from './llmux-process.ts';
import { measureAborts, type AbortPhase } from './measure-aborts.ts';
import { residentSetBytes } from './resident-set-bytes.ts';

/**
 * `npm run bench:soak -- [--requests 50000] [--streams 1000] [--aborts 50] [--only-aborts] [--slow-readers 10] [--slow-seconds 10] [--node-args=--flag]`:
 * llmux as users run it (child process, compiled build, default log level) against the bench's
 * fake upstream, and
 *   1. N concurrent slow streams: RSS and file descriptors before and while, per stream; then the
 *      clients abort and the fake upstream counts the upstream streams llmux left open (must be 0);
 *   1b. aborts on every chat route (OpenAI chat and completions, Responses, Anthropic Messages,
 *      Ollama chat and generate), streamed and not: N clients give up while llmux waits for the
 *      upstream's headers, and N mid-stream; upstream requests left open must be 0
 *      (`--only-aborts` runs this part alone);
 *   2. a soak of N non-streaming requests with RSS sampled as it goes (does it level off?);
 *   3. slow readers: clients that ask for a long, fast stream and read nothing; the upstream must
 *      stop writing once the buffers between are full (backpressure), llmux must not buffer it;
 *   4. slow senders: 200 connections that never finish their headers must be released.
 * Reports only; see bench/README.md.
 */
const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDirectory);
const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '50000' },
    streams: { type: 'string', default: '1000' },
    aborts: { type: 'string', default: '50' },
    'only-aborts': { type: 'boolean', default: false },
    'slow-readers': { type: 'string', default: '10' },
    /** Each of the two windows the slow readers are watched for. */
    'slow-seconds': { type: 'string', default: '10' },
    'node-args': { type: 'string', multiple: true, default: [] },
  },
});
const streamCount = Number(values.streams);
const soakRequests = Number(values.requests);
const slowReaders = Number(values['slow-readers']);

const MB = 1024 * 1024;
const openDescriptors = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
async function steadyRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < 3; index++) {
    if (index > 0) await sleep(100);
    samples.push(residentSetBytes(pid));
  }
  return samples.sort((a, b) => a - b)[1] ?? Number.NaN;
}

const workDirectory = mkdtempSync(join(tmpdir(), 'llmux-soak-'));
const session = await BenchSession.start(benchDirectory);
const llmux = await startLlmux({ repoRoot, workDirectory, upstreamPort: session.upstreamPort, providerTypes: ['cerebras', 'openai-compatible'], nodeArgs: values['node-args'] });
const lines: string[] = [];
const say = (line: string): void => {
  lines.push(line);
  console.log(line);
};
try {
  say(`llmux pid ${llmux.pid}, Node ${process.version}${values['node-args'].length > 0 ? `, node flags ${values['node-args'].join(' ')}` : ''}`);
  await sleep(500);
  const idle = await steadyRss(llmux.pid);
  say(`idle: RSS ${formatBytes(idle)}, ${openDescriptors(llmux.pid)} descriptors`);
  if (!values['only-aborts']) await soakAndStreams(llmux.pid, llmux.origin);
  await abortEveryRoute(llmux.origin);
} finally {
  await llmux.stop();
  await session.stop();
  rmSync(workDirectory, { recursive: true, force: true });
}

/** 1b: every chat route, streamed and not, aborted while waiting and mid-stream. */
async function abortEveryRoute(origin: string): Promise<void> {
  const count = Number(values.aborts);
  const endpoints: BenchEndpoint[] = [];
  for (const stream of [true, false]) {
    const kind = stream ? 'streamed' : 'not streamed';
    endpoints.push(
      openaiChatEndpoint(`/v1/chat/completions ${kind}`, origin, stream),
      openaiCompletionEndpoint(`/v1/completions ${kind}`, origin, stream),
      responsesEndpoint(`/v1/responses ${kind}`, origin, stream),
      anthropicMessagesEndpoint(`/v1/messages ${kind}`, origin, stream),
      ollamaChatEndpoint(`/api/chat ${kind}`, origin, stream),
      ollamaGenerateEndpoint(`/api/generate ${kind}`, origin, stream),
    );
  }
  let aborted = 0;
  let leftOpen = 0;
  for (const phase of ['waiting', 'streaming'] as AbortPhase[]) {
    for (const endpoint of endpoints) {
      const round = await measureAborts(session, endpoint, phase, count);
      aborted += round.sent - round.answered;
      leftOpen += round.leftOpen;
      say(`aborts ${phase === 'waiting' ? 'before the upstream answered' : 'mid-stream'}, ${round.label}: ${round.sent} sent, ${round.heldUpstream} open at the upstream, ${round.withHeaders} clients with headers, ${round.answered} answered before the abort, ${round.leftOpen} left open 5 s later`);
    }
  }
  // Anthropic streams open with pings while the upstream is silent (10 s): abort after the first.
  const pinged = await measureAborts(session, anthropicMessagesEndpoint('/v1/messages streamed, after the first ping', origin, true), 'waiting', count, { holdMs: 11_000 });
  aborted += pinged.sent - pinged.answered;
  leftOpen += pinged.leftOpen;
  say(`aborts before the upstream answered, ${pinged.label}: ${pinged.sent} sent, ${pinged.heldUpstream} open at the upstream, ${pinged.withHeaders} clients with headers, ${pinged.leftOpen} left open 5 s later`);
  say(`aborts on every route: ${aborted} requests aborted by their clients; upstream requests left open 5 s later: ${leftOpen}`);
}

/** Sections 1 to 4. */
async function soakAndStreams(pid: number, origin: string): Promise<void> {
  const llmux = { pid, origin };

  // 1. Concurrent streams.
  const streaming = openaiChatEndpoint('llmux stream', llmux.origin, true);
  await session.configureUpstream({ latencyMs: 0, streamChunks: 5, chunkDelayMs: 0 });
  await session.closedLoop(streaming, 4, 300);
  await session.configureUpstream({ latencyMs: 0, streamChunks: 1_000_000, chunkDelayMs: 250 });
  const before = await steadyRss(llmux.pid);
  const fdBefore = openDescriptors(llmux.pid);
  let holding = Number.NaN;
  let fdHolding = Number.NaN;
  let upstreamOpen = Number.NaN;
  const held = await session.holdStreams(streaming, streamCount, async () => {
    // On a busy machine not every stream flows within the generator's 5 s: wait for them (up to 20 s).
    for (let poll = 0; poll < 200 && (await session.upstreamStats()).openStreams < streamCount; poll++) await sleep(100);
    await sleep(1500);
    holding = await steadyRss(llmux.pid);
    fdHolding = openDescriptors(llmux.pid);
    upstreamOpen = (await session.upstreamStats()).openStreams;
  });
  // Closing a thousand streams takes a while on a busy machine: the count at 3 s, and, if some
  // are still open then, at 15 s (a stream still open then is a leak, not a slow close).
  let leftOpen = (await session.upstreamStats()).openStreams;
  for (let poll = 0; poll < 30 && leftOpen > 0; poll++) {
    await sleep(100);
    leftOpen = (await session.upstreamStats()).openStreams;
  }
  let stillOpen = leftOpen;
  for (let poll = 0; poll < 120 && stillOpen > 0; poll++) {
    await sleep(100);
    stillOpen = (await session.upstreamStats()).openStreams;
  }
  const flowing = held.requests - held.errors;
  say(`streams: ${held.opened} of ${streamCount} flowing to clients, ${upstreamOpen} at the upstream; RSS ${formatBytes(before)} → ${formatBytes(holding)}: ${formatBytes((holding - before) / Math.max(1, flowing))} per stream; descriptors ${fdBefore} → ${fdHolding}`);
  say(`aborts: ${held.requests} streams aborted by their clients; upstream streams left open 3 s later: ${leftOpen}${leftOpen > 0 ? `, 15 s later: ${stillOpen}` : ''}`);

  // 2. Soak.
  await session.configureUpstream({ latencyMs: 0, streamChunks: 20, chunkDelayMs: 0 });
  const plain = openaiChatEndpoint('llmux', llmux.origin, false);
  const samples: { requests: number; rss: number }[] = [];
  let done = 0;
  let errors = 0;
  while (done < soakRequests) {
    const round = await session.closedLoop(plain, 32, 2_000);
    done += round.requests;
    errors += round.errors;
    samples.push({ requests: done, rss: residentSetBytes(llmux.pid) });
  }
  const rssAt = (fraction: number): number => samples[Math.min(samples.length - 1, Math.floor(samples.length * fraction))]?.rss ?? Number.NaN;
  const peak = Math.max(...samples.map((sample) => sample.rss));
  const lastQuarter = samples.slice(Math.floor(samples.length * 0.75));
  const quarterGrowth = (lastQuarter.at(-1)?.rss ?? 0) - (lastQuarter[0]?.rss ?? 0);
  say(
    `soak: ${done} requests (${errors} errors); RSS at 10% ${formatBytes(rssAt(0.1))}, 50% ${formatBytes(rssAt(0.5))}, end ${formatBytes(rssAt(1))}, peak ${formatBytes(peak)}; ` +
      `last quarter ${quarterGrowth >= 0 ? '+' : ''}${formatBytes(quarterGrowth)} (${Math.abs(quarterGrowth) < 0.05 * peak ? 'levels off' : 'still moving'})`,
  );
  await sleep(2_000);
  say(`after the soak: RSS ${formatBytes(await steadyRss(llmux.pid))}`);

  // 3. Slow readers.
  await session.configureUpstream({ latencyMs: 0, streamChunks: 50_000_000, chunkDelayMs: 0 });
  const rssBeforeReaders = await steadyRss(llmux.pid);
  const startBytes = (await session.upstreamStats()).bytesStreamed;
  const body = JSON.stringify({ model: FAKE_MODEL, stream: true, messages: [{ role: 'user', content: 'flood' }] });
  const port = Number(new URL(llmux.origin).port);
  const sockets: Socket[] = [];
  for (let index = 0; index < slowReaders; index++) {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${BENCH_CLIENT_KEY}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    sockets.push(socket);
  }
  // Kernel socket buffers on loopback grow to several MB each way: let them fill first.
  const windowMs = Number(values['slow-seconds']) * 1000;
  await sleep(windowMs);
  const bytesAt1 = (await session.upstreamStats()).bytesStreamed - startBytes;
  await sleep(windowMs);
  const bytesAt4 = (await session.upstreamStats()).bytesStreamed - startBytes;
  const rssReaders = await steadyRss(llmux.pid);
  for (const socket of sockets) socket.destroy();
  say(
    `slow readers: ${slowReaders} clients reading nothing; upstream wrote ${formatBytes(bytesAt1)} in the first ${values['slow-seconds']} s and ${formatBytes(bytesAt4 - bytesAt1)} in the next ${values['slow-seconds']} s ` +
      `(${bytesAt4 - bytesAt1 < 0.01 * bytesAt1 + MB ? 'paused: backpressure reaches the upstream' : 'NOT paused'}); llmux RSS ${formatBytes(rssBeforeReaders)} → ${formatBytes(rssReaders)}`,
  );

  // 4. Slow senders: connections that never finish their headers are released after headers_ms.
  const slowSenders: Socket[] = [];
  let released = 0;
  for (let index = 0; index < 200; index++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => released++);
    socket.resume();
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    slowSenders.push(socket);
  }
  const plainStarted = performance.now();
  const during = await session.closedLoop(plain, 1, 2_000);
  const fdWhileSlow = openDescriptors(llmux.pid);
  await sleep(Math.max(0, 12_000 - (performance.now() - plainStarted)));
  say(
    `slow senders: 200 connections sending partial headers; p50 of a normal request meanwhile ${(during.latencyUs.p50 / 1000).toFixed(2)} ms; ` +
      `${released} released 12 s later (client_timeout.headers_ms 10 s, checked every second); descriptors ${fdWhileSlow} → ${openDescriptors(llmux.pid)}`,
  );
  for (const socket of slowSenders) socket.destroy();
}
// The last run's figures, with what the machine was doing meanwhile.
const header = [
  values['only-aborts'] ? '# llmux aborts on every route' : '# llmux soak and streams',
  '',
  `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load average ${(loadavg()[0] ?? Number.NaN).toFixed(1)} at the end.`,
  `\`npm run bench:soak -- ${process.argv.slice(2).join(' ')}\``,
  '',
];
mkdirSync(join(benchDirectory, 'results'), { recursive: true });
writeFileSync(join(benchDirectory, 'results', values['only-aborts'] ? 'aborts.md' : 'soak.md'), [...header, ...lines.map((line) => `- ${line}`), ''].join('\n'));
