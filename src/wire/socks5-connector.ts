import { lookup } from 'node:dns/promises';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { errors as undiciErrors, type buildConnector } from 'undici';

export interface Socks5ConnectorOptions {
  /**
   * `socks5://[user:pass@]host[:port]` resolves the upstream's name here and hands the proxy an IP
   * address; `socks5h://` hands the proxy the name (curl's convention, https://curl.se/docs/manpage.html#--socks5-hostname).
   */
  proxy: string;
  /** Budget for the whole connect phase: name lookup, TCP to the proxy, SOCKS handshake, TLS. */
  timeoutMs: number;
  /** Extra TLS options (e.g. `ca`) for https upstreams. */
  tls?: ConnectionOptions;
}

interface SocksProxyAddress {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  remoteDns: boolean;
  /** `host:port`, never the credentials, for messages. */
  display: string;
}

/**
 * An undici `connect` function that opens each upstream connection through a SOCKS5 proxy
 * (RFC 1928, with RFC 1929 username/password when the URL has credentials) and adds TLS on top
 * for https upstreams. Give it to `new Agent({ connect })`: pooling and keep-alive stay undici's.
 */
export function createSocks5Connector(options: Socks5ConnectorOptions): buildConnector.connector {
  const proxy = parseSocksProxyUrl(options.proxy);
  return (target, callback) => {
    connectThroughSocks(proxy, target, options).then(
      (socket) => callback(null, socket),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}

function parseSocksProxyUrl(proxyUrl: string): SocksProxyAddress {
  const url = new URL(proxyUrl);
  if (url.protocol !== 'socks5:' && url.protocol !== 'socks5h:') {
    throw new TypeError(`expected a socks5:// or socks5h:// proxy URL, got ${url.protocol}//`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? 1080 : Number(url.port);
  return {
    host,
    port,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    remoteDns: url.protocol === 'socks5h:',
    display: `${url.hostname}:${port}`,
  };
}

async function connectThroughSocks(proxy: SocksProxyAddress, target: buildConnector.Options, options: Socks5ConnectorOptions): Promise<Socket> {
  const secure = target.protocol === 'https:';
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port === '' ? (secure ? 443 : 80) : Number(target.port);
  const opened: Socket[] = [];
  let abandoned = false;
  // establish() keeps running after the deadline; whatever it opens from then on is closed at once.
  const track = <T extends Socket>(socket: T): T => {
    opened.push(socket);
    if (abandoned) socket.destroy();
    return socket;
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new undiciErrors.ConnectTimeoutError(`connecting to ${host}:${port} through SOCKS5 proxy ${proxy.display} took longer than ${options.timeoutMs} ms`));
    }, options.timeoutMs);
  });
  const establish = async (): Promise<Socket> => {
    const destination = proxy.remoteDns || isIP(host) !== 0 ? host : await resolveHost(host);
    const tcp = track(connectTcp({ host: proxy.host, port: proxy.port, noDelay: true, keepAlive: true }));
    await new Promise<void>((resolve, reject) => {
      tcp.once('connect', resolve);
      tcp.once('error', (error) => reject(new Error(`SOCKS5 proxy is unreachable: ${error.message}`, { cause: error })));
      tcp.once('close', () => reject(new Error('SOCKS5 proxy closed the connection')));
    });
    try {
      const { SocksClient } = await loadSocks();
      await SocksClient.createConnection({
        proxy: { host: proxy.host, port: proxy.port, type: 5, userId: proxy.username, password: proxy.password },
        command: 'connect',
        destination: { host: destination, port },
        existing_socket: tcp,
        timeout: options.timeoutMs,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`SOCKS5 handshake failed: ${detail}`, { cause: error });
    }
    if (!secure) return tcp;
    const servername = target.servername ?? (isIP(host) === 0 ? host : undefined);
    const tlsSocket = track(connectTls({ ...options.tls, socket: tcp, ALPNProtocols: ['http/1.1'], ...(servername === undefined ? {} : { servername }) }));
    await new Promise<void>((resolve, reject) => {
      tlsSocket.once('secureConnect', resolve);
      tlsSocket.once('error', reject);
      tlsSocket.once('close', () => reject(new Error(`${host}:${port} closed the connection during the TLS handshake`)));
    });
    return tlsSocket;
  };
  try {
    return await Promise.race([establish(), deadline]);
  } catch (error) {
    abandoned = true;
    for (const socket of opened) socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function resolveHost(host: string): Promise<string> {
  try {
    return (await lookup(host)).address;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`could not resolve ${host}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: error });
  }
}

type SocksModule = typeof import('socks');
let socksModule: Promise<SocksModule> | undefined;

/** The SOCKS client, loaded on the first SOCKS connection: most setups never use one. */
function loadSocks(): Promise<SocksModule> {
  socksModule ??= import('socks');
  return socksModule;
}
