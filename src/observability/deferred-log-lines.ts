/**
 * Log lines that can wait until the event loop has polled for I/O once more: a request's access
 * line, written after its response is over. A client that sends its next request as soon as it
 * has the last byte of the previous answer (an agent's next turn, the bench's first-byte probe)
 * found llmux still writing the previous request's line; the new request stayed unread until it
 * was done. Queued here, a line is written in the check phase of the loop's next turn, after that
 * turn's poll has read whatever request arrived meanwhile and taken it as far as its first wait
 * (the upstream call). Measured with `bench/measure-stream-cost.ts --stages` (2026-12, 6 rounds
 * of 300 streams one after another at one connection): the work left after a stream's last byte
 * before the loop turns, 207 → 139 µs; the next request's wait before llmux read it, 401 → 328 µs
 * (the bare proxy's: 224 µs); time to first byte over direct, 985 → 921 µs. Non-streamed, at one
 * connection (`bench/measure-request-cost.ts`, 8 rounds, two runs): p50 468/426 → 407/381 µs.
 * Deferring the outcome's observers too (metrics, dashboard) was tried and measured worse (p50
 * +6 to +26 µs): with a fast upstream the deferred work no longer fits in the next request's
 * upstream wait and holds its answer instead.
 *
 * The request's outcome itself is not deferred: usage, limits and budgets count a request before
 * the loop reads the next one, as before. Only the line waits; it already waits in the log's batch
 * (up to 100 ms) before it is written out. Lines keep their order; one whose writing throws does
 * not stop the others, and is reported on stderr. `writeDeferredLogLinesNow` writes what waits at once (on exit, before the
 * log's buffer is flushed).
 */

let pending: (() => void)[] = [];
let scheduled = false;

/** Runs `write` (which writes one log line) once the event loop has polled for I/O again. */
export function writeLogLineLater(write: () => void): void {
  pending.push(write);
  if (scheduled) return;
  scheduled = true;
  // An immediate queued now runs in this turn's check phase, before the loop polls again; the one
  // it queues runs in the next turn's, after that poll.
  setImmediate(nextTurn);
}

/** Writes every line still waiting, now. */
export function writeDeferredLogLinesNow(): void {
  const writes = pending;
  pending = [];
  scheduled = false;
  for (const write of writes) {
    try {
      write();
    } catch (error) {
      // A line that cannot be written (a logger closed under it) takes no other line with it, and
      // is not lost without a word: the logger is what failed, so stderr says so.
      process.stderr.write(`llmux: an access log line could not be written: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

function nextTurn(): void {
  setImmediate(writeDeferredLogLinesNow);
}
