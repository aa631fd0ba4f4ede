import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';

// The thread of fuzz-watchdog.ts. It writes with writeSync: process.stderr in a worker goes
// through the main thread, which may be the one that is stuck.
const { stallMs } = z.object({ stallMs: z.number().positive() }).parse(workerData);
const messageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sent'), key: z.string(), mutations: z.array(z.string()) }),
  z.object({ type: z.literal('answered'), key: z.string() }),
]);
const inFlight = new Map<string, { mutations: string[]; sentAt: number }>();
let lastProgress = performance.now();
let reported = false;

parentPort?.on('message', (raw: unknown) => {
  const message = messageSchema.parse(raw);
  if (message.type === 'sent') {
    inFlight.set(message.key, { mutations: message.mutations, sentAt: performance.now() });
    return;
  }
  inFlight.delete(message.key);
  lastProgress = performance.now();
  if (reported) writeSync(2, `fuzz watchdog: answers flow again\n`);
  reported = false;
});

setInterval(() => {
  const now = performance.now();
  if (reported || now - lastProgress < stallMs) return;
  reported = true;
  const lines = [...inFlight].map(([key, item]) => `  ${key} [${item.mutations.join('; ')}], sent ${((now - item.sentAt) / 1000).toFixed(0)} s ago`);
  writeSync(2, `fuzz watchdog: no case answered for ${(stallMs / 1000).toFixed(0)} s (a request never answered, or llmux's event loop held); in flight:\n${lines.join('\n')}\n`);
}, 500);
