import { writeSync } from 'node:fs';

/** Lines gather until this many bytes are waiting (about 25 access lines), then go out in one write. */
export const LOG_BATCH_BYTES = 12 * 1024;
/** Longest a line waits in the batch when the server is quiet. */
export const LOG_FLUSH_MS = 100;
/** How soon a write the descriptor refused (EAGAIN: a full non-blocking pipe) is tried again. */
const RETRY_MS = 10;
/** Waited between attempts at exit, and the longest an exit flush waits without any progress. */
const EXIT_RETRY_MS = 1;
const EXIT_STALL_MS = 10_000;
/** Each line is encoded straight into one reused buffer of at least this size: no string is joined, no buffer allocated per batch. */
const INITIAL_CAPACITY = 64 * 1024;
const MAX_IDLE_CAPACITY = 1024 * 1024;
const NEWLINE = 0x0a;

export interface BatchedLineSinkOptions {
  batchBytes?: number;
  flushMs?: number;
  /** The write call (tests stand in a slow or refusing descriptor). */
  write?: (fd: number, buffer: Buffer, offset: number, length: number) => number;
}

/**
 * Log lines to a file descriptor (stdout), batched: each line is UTF-8 encoded into one buffer at
 * once, and the buffer goes out in one write when 12 KiB are waiting or 100 ms have passed, so a
 * request costs no write of its own. Writes are synchronous (one system call per batch, in order,
 * nothing in flight that an exit could cut off); a descriptor that takes part of a batch, or
 * refuses it (EAGAIN: a non-blocking pipe whose reader is behind), keeps the rest at the front of
 * the buffer and is tried again shortly, while new lines queue behind it: a line is never lost
 * or reordered, and a slow reader never blocks the event loop. `flushSync` (on exit) writes all
 * that waits, retrying until the descriptor takes it. A descriptor that fails otherwise (EPIPE:
 * the reader is gone; EBADF) ends the sink: later lines are dropped, as nothing can receive them.
 */
export class BatchedLineSink {
  readonly #fd: number;
  readonly #batchBytes: number;
  readonly #flushMs: number;
  readonly #write: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  #buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
  /** Bytes encoded into the buffer. */
  #used = 0;
  /** Bytes of the buffer already written (a partial write leaves the rest from here). */
  #written = 0;
  /** One timer, re-armed with refresh() (no allocation per batch). */
  #timer: NodeJS.Timeout | undefined;
  #timerArmed = false;
  /** The descriptor refused the last write: wait for the retry before writing again. */
  #timerDelay = -1;
  #blocked = false;
  #failed = false;

  constructor(fd: number, options: BatchedLineSinkOptions = {}) {
    this.#fd = fd;
    this.#batchBytes = options.batchBytes ?? LOG_BATCH_BYTES;
    this.#flushMs = options.flushMs ?? LOG_FLUSH_MS;
    this.#write = options.write ?? writeSync;
  }

  /** Queues one line (with its newline) for the next batch. */
  write(line: string): boolean {
    if (this.#failed) return false;
    // Worst case of UTF-8: 3 bytes per UTF-16 unit.
    if (this.#buffer.length - this.#used < line.length * 3) this.#makeRoom(line.length * 3);
    this.#used += this.#buffer.write(line, this.#used);
    this.#queued();
    return true;
  }

  /** Queues `text` and a newline after it (no `text + '\n'` string to build and flatten). */
  writeLine(text: string): boolean {
    if (this.#failed) return false;
    if (this.#buffer.length - this.#used < text.length * 3 + 1) this.#makeRoom(text.length * 3 + 1);
    this.#used += this.#buffer.write(text, this.#used);
    this.#buffer[this.#used++] = NEWLINE;
    this.#queued();
    return true;
  }

  #queued(): void {
    if (this.#used - this.#written >= this.#batchBytes) this.#flush();
    else this.#armTimer(this.#flushMs);
  }

  /** Bytes waiting to be written. */
  get pendingBytes(): number {
    return this.#used - this.#written;
  }

  /** Writes everything waiting now, waiting out a refusing descriptor (for exit: no later turn of the event loop). */
  flushSync(): void {
    let stalledSince = performance.now();
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!this.#failed && this.#used > this.#written) {
      const before = this.#written;
      this.#blocked = false;
      this.#writeOnce();
      if (this.#written > before || this.#used === 0) stalledSince = performance.now();
      else if (performance.now() - stalledSince > EXIT_STALL_MS) return;
      else Atomics.wait(pause, 0, 0, EXIT_RETRY_MS);
    }
  }

  /** Stops the timer (the lines still waiting stay for flushSync). */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerArmed = false;
  }

  #flush(): void {
    if (this.#blocked || this.#failed || this.#used === this.#written) return;
    this.#writeOnce();
    // Part taken, or none (the reader is behind): the rest goes on the retry.
    if (this.#used > this.#written) this.#armTimer(RETRY_MS);
  }

  /** One write of what waits; notes a refusal or a failure. */
  #writeOnce(): void {
    try {
      const count = this.#write(this.#fd, this.#buffer, this.#written, this.#used - this.#written);
      this.#written += count;
      if (this.#written >= this.#used) {
        this.#used = this.#written = 0;
        // A long stall grew the buffer: give the memory back once it has all gone out.
        if (this.#buffer.length > MAX_IDLE_CAPACITY) this.#buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EBUSY' || code === 'EINTR') {
        this.#blocked = true;
        return;
      }
      this.#failed = true;
      this.#used = this.#written = 0;
      this.close();
    }
  }

  /** Moves what waits to the front of the buffer, and grows it when that is not room enough. */
  #makeRoom(needed: number): void {
    const waiting = this.#used - this.#written;
    if (this.#buffer.length - waiting >= needed && this.#written > 0) {
      this.#buffer.copy(this.#buffer, 0, this.#written, this.#used);
    } else {
      const bigger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, waiting + needed));
      this.#buffer.copy(bigger, 0, this.#written, this.#used);
      this.#buffer = bigger;
    }
    this.#written = 0;
    this.#used = waiting;
  }

  #armTimer(ms: number): void {
    if (this.#timerArmed) return;
    this.#timerArmed = true;
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#onTimer(), ms);
      this.#timer.unref();
    } else {
      // refresh() re-arms the same timer object with its original delay: only the batch delay and
      // the retry delay are used, so a changed delay takes a new timer.
      if (this.#timerDelay === ms) this.#timer.refresh();
      else {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#onTimer(), ms);
        this.#timer.unref();
      }
    }
    this.#timerDelay = ms;
  }

  #onTimer(): void {
    this.#timerArmed = false;
    this.#blocked = false;
    this.#flush();
  }
}
