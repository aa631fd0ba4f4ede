import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';

/** nginx running as a plain keep-alive `proxy_pass` in front of the fake upstream: the floor of any proxy. */
export interface NginxProxy {
  origin: string;
  /** The worker's pid (one worker), whose CPU is the proxy's cost. */
  pid: number;
  stop(): Promise<void>;
}

/** Where nginx is installed, or undefined (then the bench says so instead of measuring it). */
export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/**
 * Starts nginx in the foreground with one worker and its own config in `directory`: keep-alive
 * to the client and to the upstream, no access log, no buffering of streamed answers. No
 * translation: it passes bytes, so it is a floor, not a like-for-like ceiling.
 */
export async function startNginxProxy(binary: string, directory: string, upstreamPort: number): Promise<NginxProxy> {
  mkdirSync(join(directory, 'logs'), { recursive: true });
  const port = await freePort();
  const config = join(directory, 'nginx.conf');
  writeFileSync(
    config,
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(directory, 'nginx.pid')};`,
      `error_log ${join(directory, 'logs', 'error.log')} warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${directory};`,
      `  proxy_temp_path ${directory};`,
      '  keepalive_requests 1000000;',
      `  upstream fake { server 127.0.0.1:${upstreamPort}; keepalive 128; }`,
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    location / {',
      '      proxy_pass http://fake;',
      '      proxy_http_version 1.1;',
      '      proxy_set_header Connection "";',
      '      proxy_buffering off;',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['-p', directory, '-c', config], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const response = await request(`${origin}/v1/models`, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await response.body.text();
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`nginx did not start: ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { origin, pid: workerPid(child), stop: () => stopChild(child) };
}

/** The one worker process of the master `child` (its only child in /proc), or the master itself. */
function workerPid(child: ChildProcess): number {
  const master = child.pid ?? -1;
  try {
    const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).map(Number);
    return children.find((pid) => Number.isInteger(pid) && pid > 0) ?? master;
  } catch {
    return master;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
