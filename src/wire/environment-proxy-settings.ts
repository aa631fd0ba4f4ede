import { BlockList, isIP } from 'node:net';

/** Variables read, in order; the lower-case spelling wins as in curl (https://curl.se/docs/manpage.html#ENVIRONMENT). */
const PROXY_VARIABLES = {
  'http:': ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'],
  'https:': ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'],
} as const;

interface NoProxyEntry {
  /** Lower-case host name or IP address, without brackets or leading dot. */
  host: string;
  /** 0 = any port. */
  port: number;
}

/**
 * Which proxy the environment asks for, per upstream URL: `HTTPS_PROXY` for https, `HTTP_PROXY`
 * for http, `ALL_PROXY` for either, unless `NO_PROXY` lists the host. NO_PROXY entries are
 * comma- or space-separated: `*` (everything), a host name (matches it and its subdomains; a
 * leading `.` or `*.` is ignored), an IP address, an IP range in CIDR form, each optionally with
 * `:port`. Read once, when the client is created.
 */
export class EnvironmentProxySettings {
  private readonly proxies: Record<'http:' | 'https:', string | undefined>;
  private readonly bypassAll: boolean;
  private readonly entries: NoProxyEntry[] = [];
  private readonly ranges = new BlockList();
  private hasRanges = false;

  constructor(environment: Record<string, string | undefined>) {
    this.proxies = {
      'http:': withScheme(firstSet(environment, PROXY_VARIABLES['http:'])),
      'https:': withScheme(firstSet(environment, PROXY_VARIABLES['https:'])),
    };
    const noProxy = firstSet(environment, ['no_proxy', 'NO_PROXY']) ?? '';
    let bypassAll = false;
    for (const raw of noProxy.split(/[\s,]+/)) {
      if (raw === '') continue;
      if (raw === '*') {
        bypassAll = true;
        continue;
      }
      if (raw.includes('/')) {
        this.addRange(raw);
        continue;
      }
      const entry = parseHostAndPort(raw);
      this.entries.push({ host: entry.host.replace(/^\*?\./, '').replace(/\.$/, '').toLowerCase(), port: entry.port });
    }
    this.bypassAll = bypassAll;
  }

  /** The proxy URL for this upstream, or undefined to connect directly. */
  proxyFor(url: URL): string | undefined {
    const proxy = url.protocol === 'https:' || url.protocol === 'http:' ? this.proxies[url.protocol] : undefined;
    if (proxy === undefined || this.bypasses(url)) return undefined;
    return proxy;
  }

  /** Every distinct proxy the environment names (to validate them up front). */
  get configuredProxies(): string[] {
    return [...new Set([this.proxies['http:'], this.proxies['https:']].filter((proxy) => proxy !== undefined))];
  }

  private bypasses(url: URL): boolean {
    if (this.bypassAll) return true;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    for (const entry of this.entries) {
      if (entry.port !== 0 && entry.port !== port) continue;
      if (host === entry.host || host.endsWith('.' + entry.host)) return true;
    }
    const family = isIP(host);
    return this.hasRanges && family !== 0 && this.ranges.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }

  private addRange(raw: string): void {
    const [address = '', prefix = ''] = raw.split('/');
    const family = isIP(address);
    const length = Number(prefix);
    if (family === 0 || !Number.isInteger(length) || length < 0 || length > (family === 4 ? 32 : 128)) return;
    this.ranges.addSubnet(address, length, family === 4 ? 'ipv4' : 'ipv6');
    this.hasRanges = true;
  }
}

function firstSet(environment: Record<string, string | undefined>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = environment[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** `proxy.corp:3128` means an http proxy, as curl reads it. */
function withScheme(proxy: string | undefined): string | undefined {
  return proxy === undefined || proxy.includes('://') ? proxy : `http://${proxy}`;
}

function parseHostAndPort(entry: string): NoProxyEntry {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { host: bracketed[1] ?? '', port: Number(bracketed[2] ?? 0) };
  // A bare IPv6 address has several colons and no port.
  if (isIP(entry) === 6) return { host: entry, port: 0 };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  return withPort === null ? { host: entry, port: 0 } : { host: withPort[1] ?? '', port: Number(withPort[2]) };
}
