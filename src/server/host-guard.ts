import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/**
 * When llmux listens on loopback, a browser page on some other site could reach it through DNS
 * rebinding; like Ollama, only Host headers naming this machine pass: no Host, `localhost`, this
 * machine's name, a name under `.localhost`, `.local` or `.internal`, or an IP literal that is
 * loopback, private, unspecified, link-local or one of this machine's own addresses. A public
 * address (`Host: 93.184.216.34`) is refused.
 * https://github.com/ollama/ollama/blob/main/server/routes.go (allowedHost, allowedHostsMiddleware)
 */
const MACHINE_NAME = hostname().toLowerCase();
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal'];

/** Host headers already found local by name or address class (not by this machine's own addresses, which can change): clients repeat theirs. */
const knownLocal = new Set<string>();
const MAX_KNOWN_LOCAL = 64;

export function isAllowedHost(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined || hostHeader === '' || knownLocal.has(hostHeader)) return true;
  const host = stripPort(hostHeader).toLowerCase();
  const family = isIP(host);
  const local =
    host === 'localhost' || host === MACHINE_NAME || host === MACHINE_NAME + '.' || (family === 4 ? isLocalIPv4(host) : family === 6 ? isLocalIPv6(host) : LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix)));
  if (local) {
    if (knownLocal.size >= MAX_KNOWN_LOCAL) knownLocal.clear();
    knownLocal.add(hostHeader);
    return true;
  }
  return family !== 0 && isOwnAddress(host);
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}

/** Loopback 127/8, private 10/8, 172.16/12, 192.168/16, unspecified 0.0.0.0, link-local 169.254/16. */
function isLocalIPv4(address: string): boolean {
  const [a = -1, b = -1, c = -1, d = -1] = address.split('.').map(Number);
  if (a === 127 || a === 10) return true;
  if (a === 172 && b >= 16 && b <= 31) return true;
  if (a === 192 && b === 168) return true;
  if (a === 169 && b === 254) return true;
  return a === 0 && b === 0 && c === 0 && d === 0;
}

/** Loopback ::1, unspecified ::, unique-local fc00::/7, link-local fe80::/10, and IPv4-mapped local addresses. */
function isLocalIPv6(address: string): boolean {
  const words = expandIPv6(address);
  if (words === undefined) return false;
  const leadingZeros = words.slice(0, 7).every((word) => word === 0);
  if (leadingZeros && (words[7] === 0 || words[7] === 1)) return true;
  const first = words[0] ?? 0;
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) return true;
  if (words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff) {
    const high = words[6] ?? 0;
    const low = words[7] ?? 0;
    return isLocalIPv4(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
  }
  return false;
}

/** The eight 16-bit words of an IPv6 address (an embedded IPv4 tail included). */
function expandIPv6(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [, a, b, c, d] = dotted.map(Number) as [number, number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headWords = head === '' ? [] : head.split(':');
  const tailWords = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headWords.length - tailWords.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...headWords, ...Array<string>(missing).fill('0'), ...tailWords].map((word) => Number.parseInt(word, 16));
}

function isOwnAddress(address: string): boolean {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.address.toLowerCase() === address) return true;
  }
  return false;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host.startsWith('::ffff:127.') || host === '[::1]';
}
