import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Full collections, a few milliseconds apart, for a test that asserts what is still reachable
 * (a WeakRef's target, `process.memoryUsage().arrayBuffers`): a WeakRef read in the current job
 * keeps its target until the job ends, and V8 frees ArrayBuffer memory in a sweep after the
 * collection, not during it.
 */
export async function collectGarbage(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await sleep(5);
    gc();
  }
  await sleep(5);
}
