import { hostname } from 'node:os';
import { isIP } from 'node:net';

/**
 * When llmux listens on loopback, a browser page on some other site could reach it through DNS
 * rebinding; like Ollama, only Host headers naming this machine pass.
 * https://github.com/ollama/ollama/blob/main/server/routes.go (allowedHost)
 */
const MACHINE_NAME = hostname().toLowerCase();
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal'];

export function isAllowedHost(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined || hostHeader === '') return true;
  const host = stripPort(hostHeader).toLowerCase();
  if (host === 'localhost' || host === MACHINE_NAME || host === MACHINE_NAME + '.') return true;
  if (isIP(host) !== 0) return true;
  return LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host.startsWith('::ffff:127.') || host === '[::1]';
}
