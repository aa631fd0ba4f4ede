import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchedLineSink } from './batched-line-sink.ts';

/** A stand-in descriptor: records each write; `take` decides how many bytes it accepts (throwing refuses). */
function fakeDescriptor(take: (length: number, call: number) => number): { writes: string[]; write: (fd: number, buffer: Buffer, offset: number, length: number) => number } {
  const writes: string[] = [];
  let call = 0;
  return {
    writes,
    write(_fd, buffer, offset, length) {
      const count = take(length, call++);
      writes.push(buffer.toString('utf8', offset, offset + count));
      return count;
    },
  };
}

function lines(count: number, width = 100): string[] {
  return Array.from({ length: count }, (_, index) => `${JSON.stringify({ n: index, pad: 'x'.repeat(width), text: index % 7 === 0 ? 'é😀' : '' })}\n`);
}

describe('BatchedLineSink', () => {
  it('holds lines until the batch is full, then writes them in one call, in order', () => {
    const fd = fakeDescriptor((length) => length);
    const sink = new BatchedLineSink(9, { batchBytes: 1_000, write: fd.write });
    const input = lines(30);
    for (const line of input) sink.write(line);
    assert.ok(fd.writes.length >= 2 && fd.writes.length <= 4, `${fd.writes.length} writes`);
    assert.ok(fd.writes.every((chunk) => Buffer.byteLength(chunk) >= 1_000));
    sink.flushSync();
    assert.equal(fd.writes.join(''), input.join(''));
    sink.close();
  });

  it('writes a line given without its newline with one after it, in order with the others', () => {
    const fd = fakeDescriptor((length) => length);
    const sink = new BatchedLineSink(9, { write: fd.write });
    sink.write('first\n');
    sink.writeLine('{"text":"é😀"}');
    sink.write('third\n');
    sink.flushSync();
    assert.equal(fd.writes.join(''), 'first\n{"text":"é😀"}\nthird\n');
    sink.close();
  });

  it('writes a quiet batch after the flush delay', async () => {
    const fd = fakeDescriptor((length) => length);
    const sink = new BatchedLineSink(9, { flushMs: 20, write: fd.write });
    sink.write('one\n');
    sink.write('two\n');
    assert.equal(fd.writes.length, 0);
    await sleep(60);
    assert.deepEqual(fd.writes, ['one\ntwo\n']);
    sink.write('three\n');
    sink.flushSync();
    await sleep(60);
    // The timer found nothing left: no empty write.
    assert.deepEqual(fd.writes, ['one\ntwo\n', 'three\n']);
    sink.close();
  });

  it('keeps what a descriptor took only in part, or refused (EAGAIN), and writes it later, before newer lines', async () => {
    const fd = fakeDescriptor((length, call) => {
      if (call % 3 === 1) throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN' });
      return Math.min(length, 2_500);
    });
    const sink = new BatchedLineSink(9, { batchBytes: 1_000, flushMs: 5, write: fd.write });
    const input = lines(200, 300);
    for (const [index, line] of input.entries()) {
      sink.write(line);
      if (index % 20 === 0) await sleep(1);
    }
    // Each refusal waits for the 10 ms retry: generous room for a loaded machine.
    for (let wait = 0; wait < 2_000 && sink.pendingBytes > 0; wait++) await sleep(10);
    assert.equal(sink.pendingBytes, 0);
    assert.equal(fd.writes.join(''), input.join(''));
    sink.close();
  });

  it('waits out a refusing descriptor when flushed synchronously (exit)', () => {
    let refusals = 0;
    const fd = fakeDescriptor((length) => {
      if (refusals++ < 5) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      return length;
    });
    const sink = new BatchedLineSink(9, { write: fd.write });
    sink.write('last words\n');
    sink.flushSync();
    assert.equal(fd.writes.join(''), 'last words\n');
    sink.close();
  });

  it('stops writing, and drops what waits, when the descriptor fails otherwise (the reader is gone)', () => {
    const fd = fakeDescriptor(() => {
      throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    });
    const sink = new BatchedLineSink(9, { batchBytes: 10, write: fd.write });
    assert.equal(sink.write('0123456789ab\n'), true);
    assert.equal(sink.write('more\n'), false);
    sink.flushSync();
    assert.equal(sink.pendingBytes, 0);
    sink.close();
  });

  it('writes to a file, every line once, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmux-sink-'));
    try {
      const path = join(dir, 'log.jsonl');
      const fd = openSync(path, 'w');
      const sink = new BatchedLineSink(fd);
      const input = lines(2_000);
      for (const line of input) sink.write(line);
      sink.flushSync();
      sink.close();
      closeSync(fd);
      assert.equal(readFileSync(path, 'utf8'), input.join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('through a non-blocking pipe to a reader slower than the writer, loses nothing and flushes on exit', async () => {
    // The child makes stdout a non-blocking pipe (as Node does once process.stdout is touched), writes
    // far more than a pipe holds while the parent is not reading, then exits at once.
    const script = `
      import { writeSync } from 'node:fs';
      import { BatchedLineSink } from ${JSON.stringify(new URL('./batched-line-sink.ts', import.meta.url).href)};
      void process.stdout.isTTY;
      let refused = 0;
      const sink = new BatchedLineSink(1, { write: (fd, buffer, offset, length) => {
        try { return writeSync(fd, buffer, offset, length); } catch (error) { if (error.code === 'EAGAIN') refused++; throw error; }
      } });
      process.once('exit', () => { sink.flushSync(); process.stderr.write('refused ' + refused); });
      let n = 0;
      const burst = () => {
        for (let i = 0; i < 2000; i++) sink.write(JSON.stringify({ n: n++, pad: 'y'.repeat(150) }) + '\\n');
        if (n < 20000) setImmediate(burst); else process.exit(0);
      };
      burst();
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await sleep(300);
    const chunks: Buffer[] = [];
    // A slow reader: a little at a time.
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 1);
    });
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0, stderr);
    const received = Buffer.concat(chunks).toString('utf8').split('\n');
    assert.equal(received.pop(), '');
    assert.equal(received.length, 20_000);
    for (const [index, line] of received.entries()) assert.equal((JSON.parse(line) as { n: number }).n, index);
    assert.match(stderr, /refused [1-9]/, 'the pipe was full at least once');
  });
});
