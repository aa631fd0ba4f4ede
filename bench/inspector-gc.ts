import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

const targetsSchema = z.array(z.object({ webSocketDebuggerUrl: z.string() }));
const replySchema = z.object({ id: z.number(), error: z.object({ message: z.string() }).optional() });

/**
 * Forces a full garbage collection in a running Node process from outside, for a figure that
 * says how much of its RSS is garbage V8 has not collected yet: SIGUSR1 opens the process's
 * inspector (on the port its `--inspect-port` named; nothing listens before the signal), then
 * `HeapProfiler.collectGarbage` over the DevTools protocol. The inspector stays open afterwards:
 * use it on a process that is measured no further. Resolves to undefined, or to why it failed.
 */
export async function forceGarbageCollection(pid: number, inspectPort: number, timeoutMs = 10_000): Promise<string | undefined> {
  try {
    process.kill(pid, 'SIGUSR1');
    const deadline = performance.now() + timeoutMs;
    let url: string | undefined;
    while (url === undefined) {
      try {
        const response = await fetch(`http://127.0.0.1:${inspectPort}/json/list`, { signal: AbortSignal.timeout(1_000) });
        url = targetsSchema.parse(await response.json())[0]?.webSocketDebuggerUrl;
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await sleep(100);
      }
    }
    const socket = new WebSocket(url);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.addEventListener('open', () => resolve(), { once: true });
        socket.addEventListener('error', () => reject(new Error('the inspector refused the connection')), { once: true });
      });
      const done = new Promise<void>((resolve, reject) => {
        socket.addEventListener('message', (event) => {
          const reply = replySchema.safeParse(JSON.parse(String(event.data)));
          if (!reply.success || reply.data.id !== 1) return;
          if (reply.data.error !== undefined) reject(new Error(reply.data.error.message));
          else resolve();
        });
      });
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
      await Promise.race([done, sleep(timeoutMs).then(() => Promise.reject(new Error('no answer from the inspector')))]);
    } finally {
      socket.close();
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
