import { Worker } from 'node:worker_threads';

export interface FuzzWatchdog {
  caseSent(route: string, caseNumber: number, mutations: string[]): void;
  caseAnswered(route: string, caseNumber: number): void;
  stop(): Promise<void>;
}

/**
 * Watches a fuzz run from its own thread: when no case has been answered for `stallMs`, it writes
 * the cases in flight to stderr, with their mutations, to replay with `--route R --case N`. From a
 * thread of its own because the gateway runs in the fuzzing process: a request that holds llmux's
 * event loop holds the fuzzer's too, and its timers with it.
 */
export function startFuzzWatchdog(stallMs: number): FuzzWatchdog {
  const worker = new Worker(new URL('./fuzz-watchdog-thread.ts', import.meta.url), { workerData: { stallMs } });
  worker.unref();
  return {
    caseSent: (route, caseNumber, mutations) => worker.postMessage({ type: 'sent', key: `${route} case ${caseNumber}`, mutations }),
    caseAnswered: (route, caseNumber) => worker.postMessage({ type: 'answered', key: `${route} case ${caseNumber}` }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
