import { execFile } from 'node:child_process';

/**
 * Asks the C allocator of a running process to give back the free memory it holds: gdb attaches
 * and calls glibc's `malloc_trim(0)`, which returns every whole free page, including those in the
 * middle of its heap that an ordinary `free` never returns (glibc gives back only from the top).
 * For a figure that says how much of a process's RSS is free memory the allocator kept, as against
 * memory still in use. Needs gdb and permission to trace the process (ptrace); glibc only. The
 * process is stopped while gdb is attached: use it on a process that is measured no further.
 * Resolves to undefined, or to why it could not.
 */
export function trimAllocator(pid: number, timeoutMs = 30_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('gdb', ['--pid', String(pid), '--batch', '--nx', '--ex', 'call (int) malloc_trim(0)'], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error !== null) {
        resolve(error.code === 'ENOENT' ? 'gdb is not installed' : `gdb failed: ${error.message.split('\n')[0] ?? ''}`);
        return;
      }
      // gdb prints the call's value as `$1 = 1` (memory given back) or `$1 = 0` (none was).
      if (/^\$1 = [01]$/m.test(stdout)) resolve(undefined);
      else resolve(`gdb could not call malloc_trim: ${(stderr.trim().split('\n').pop() ?? stdout.trim()).slice(0, 160)}`);
    });
  });
}
