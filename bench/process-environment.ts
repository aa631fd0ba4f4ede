import { readFileSync } from 'node:fs';

/**
 * The environment a running process started with, from /proc/<pid>/environ, as `NAME=value` entries.
 * glibc rewrites GLIBC_TUNABLES in place when it reads it at start-up: each `:` between two tunables
 * becomes a NUL, so the one entry reads as several there (`GLIBC_TUNABLES=a=1`, `b=2`). They are
 * joined back here: no variable's name starts with `glibc.`, every tunable's does.
 */
export function processEnvironment(pid: number): string[] {
  const entries: string[] = [];
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const last = entries.length - 1;
    if (entry.startsWith('glibc.') && last >= 0 && entries[last]?.startsWith('GLIBC_TUNABLES=') === true) entries[last] += `:${entry}`;
    else if (entry !== '') entries.push(entry);
  }
  return entries;
}
