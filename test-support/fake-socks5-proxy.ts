import { connect, createServer, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback-server.ts';

/** One CONNECT request the SOCKS5 proxy received. */
export interface RecordedSocksConnection {
  /** The destination as the client sent it: an IP address or, for socks5h, a host name. */
  host: string;
  port: number;
  addressType: 'ipv4' | 'domain' | 'ipv6';
  /** RFC 1929 credentials, when the client authenticated. */
  username?: string;
  password?: string;
  /** Whether the proxy connected the client to its destination. */
  accepted: boolean;
}

export interface FakeSocks5ProxyOptions {
  /** Require RFC 1929 username/password authentication with these credentials. */
  username?: string;
  password?: string;
  /** Accept TCP connections but never answer the greeting (for connect-timeout tests). */
  stallGreeting?: boolean;
}

const VERSION = 0x05;
const METHOD_NO_AUTH = 0x00;
const METHOD_USERNAME_PASSWORD = 0x02;
const METHOD_NONE_ACCEPTABLE = 0xff;
const COMMAND_CONNECT = 0x01;
const REPLY_SUCCEEDED = 0x00;
const REPLY_GENERAL_FAILURE = 0x01;
const REPLY_CONNECTION_REFUSED = 0x05;
const REPLY_COMMAND_NOT_SUPPORTED = 0x07;
const REPLY_ADDRESS_TYPE_NOT_SUPPORTED = 0x08;

/**
 * A loopback SOCKS5 proxy for tests: the RFC 1928 handshake with no authentication or RFC 1929
 * username/password, CONNECT only, then a plain byte pipe.
 *
 *   const proxy = await FakeSocks5Proxy.start({ username: 'u', password: 'p' });
 *   // use proxy.url, proxy.urlWithCredentials('u', 'p') or `socks5h://…`, then read proxy.connections
 *   await proxy.close();
 */
export class FakeSocks5Proxy {
  readonly connections: RecordedSocksConnection[] = [];
  private readonly server: Server;
  private readonly options: FakeSocks5ProxyOptions;
  private readonly sockets = new Set<Socket>();
  private listeningPort = 0;

  private constructor(options: FakeSocks5ProxyOptions) {
    this.options = options;
    this.server = createServer((socket) => {
      this.track(socket);
      socket.on('error', () => socket.destroy());
      this.handshake(socket).catch(() => socket.destroy());
    });
  }

  static async start(options: FakeSocks5ProxyOptions = {}): Promise<FakeSocks5Proxy> {
    const proxy = new FakeSocks5Proxy(options);
    proxy.listeningPort = await listenOnLoopback(proxy.server);
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** `socks5://127.0.0.1:<port>`, without credentials. */
  get url(): string {
    return `socks5://127.0.0.1:${this.listeningPort}`;
  }

  urlWithCredentials(username: string, password: string, scheme: 'socks5' | 'socks5h' = 'socks5'): string {
    return `${scheme}://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${this.listeningPort}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private async handshake(client: Socket): Promise<void> {
    if (this.options.stallGreeting === true) return;
    const reader = new SocketReader(client);
    const [version, methodCount] = await reader.read(2);
    if (version !== VERSION) throw new Error('not SOCKS5');
    const methods = await reader.read(methodCount ?? 0);
    const wantsAuth = this.options.username !== undefined || this.options.password !== undefined;
    const method = wantsAuth ? METHOD_USERNAME_PASSWORD : METHOD_NO_AUTH;
    if (!methods.includes(method)) {
      client.end(Buffer.from([VERSION, METHOD_NONE_ACCEPTABLE]));
      return;
    }
    client.write(Buffer.from([VERSION, method]));
    let username: string | undefined;
    let password: string | undefined;
    if (method === METHOD_USERNAME_PASSWORD) {
      // RFC 1929: VER=1, ULEN, UNAME, PLEN, PASSWD → VER=1, STATUS (0 = success).
      await reader.read(1);
      username = (await reader.read((await reader.read(1))[0] ?? 0)).toString('utf8');
      password = (await reader.read((await reader.read(1))[0] ?? 0)).toString('utf8');
      const valid = username === (this.options.username ?? '') && password === (this.options.password ?? '');
      if (!valid) {
        this.connections.push({ host: '', port: 0, addressType: 'ipv4', username, password, accepted: false });
        client.end(Buffer.from([0x01, 0x01]));
        return;
      }
      client.write(Buffer.from([0x01, 0x00]));
    }
    const [, command, , addressType] = await reader.read(4);
    let host: string;
    let type: RecordedSocksConnection['addressType'];
    if (addressType === 0x01) {
      host = Array.from(await reader.read(4)).join('.');
      type = 'ipv4';
    } else if (addressType === 0x03) {
      host = (await reader.read((await reader.read(1))[0] ?? 0)).toString('utf8');
      type = 'domain';
    } else if (addressType === 0x04) {
      const bytes = await reader.read(16);
      host = Array.from({ length: 8 }, (_unused, index) => bytes.readUInt16BE(index * 2).toString(16)).join(':');
      type = 'ipv6';
    } else {
      client.end(reply(REPLY_ADDRESS_TYPE_NOT_SUPPORTED));
      return;
    }
    const port = (await reader.read(2)).readUInt16BE(0);
    const recorded: RecordedSocksConnection = { host, port, addressType: type, accepted: false };
    if (username !== undefined) recorded.username = username;
    if (password !== undefined) recorded.password = password;
    this.connections.push(recorded);
    if (command !== COMMAND_CONNECT) {
      client.end(reply(REPLY_COMMAND_NOT_SUPPORTED));
      return;
    }
    const upstream = connect(port, host);
    this.track(upstream);
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (!recorded.accepted) client.end(reply(error.code === 'ECONNREFUSED' ? REPLY_CONNECTION_REFUSED : REPLY_GENERAL_FAILURE));
      upstream.destroy();
    });
    upstream.once('connect', () => {
      recorded.accepted = true;
      client.write(reply(REPLY_SUCCEEDED));
      const rest = reader.detach();
      if (rest.length > 0) upstream.write(rest);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  }
}

/** A reply with a zero IPv4 bound address, which clients ignore for CONNECT. */
function reply(code: number): Buffer {
  return Buffer.from([VERSION, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

/** Reads exact byte counts from a socket whose data arrives in arbitrary pieces. */
class SocketReader {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private closed = false;
  private readonly socket: Socket;
  private readonly onData = (data: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, data]);
    this.waiting?.();
  };
  private readonly onClose = (): void => {
    this.closed = true;
    this.waiting?.();
  };

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.once('close', this.onClose);
  }

  async read(count: number): Promise<Buffer> {
    while (this.buffered.length < count) {
      if (this.closed) throw new Error('socket closed during the handshake');
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
    const result = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return result;
  }

  /** Stops reading and returns what arrived past the handshake. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.pause();
    return this.buffered;
  }
}
