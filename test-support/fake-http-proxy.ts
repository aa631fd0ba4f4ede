import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import { closeHttpServer, listenOnLoopback } from './loopback-server.ts';

/** One request the proxy received: a CONNECT tunnel or a plain-http request forwarded in absolute form. */
export interface RecordedProxyRequest {
  kind: 'connect' | 'forward';
  /** `host:port` for CONNECT, the absolute URL for a forwarded request. */
  target: string;
  method: string;
  headers: IncomingHttpHeaders;
  /** The decoded `Proxy-Authorization: Basic` credentials, when sent. */
  credentials?: { username: string; password: string };
  /** Whether the proxy let the request through. */
  accepted: boolean;
}

export interface FakeHttpProxyOptions {
  /** Require these Basic credentials (answer 407 otherwise). */
  username?: string;
  password?: string;
  /** Accept CONNECT requests but never answer them (for connect-timeout tests). */
  stallConnect?: boolean;
  /** Serve the proxy itself over TLS (an `https://` proxy) with this PEM key and certificate. */
  tls?: { key: string; cert: string };
}

/**
 * A loopback HTTP proxy for tests: tunnels `CONNECT host:port` (RFC 9110 §9.3.6) and forwards
 * absolute-form plain-http requests (RFC 9112 §3.2.2), optionally demanding Basic credentials and
 * optionally itself behind TLS.
 *
 *   const proxy = await FakeHttpProxy.start({ username: 'u', password: 'p' });
 *   // use proxy.url (no credentials) or proxy.urlWithCredentials('u', 'p'), then read proxy.requests
 *   await proxy.close();
 */
export class FakeHttpProxy {
  readonly requests: RecordedProxyRequest[] = [];
  private readonly server: Server;
  private readonly options: FakeHttpProxyOptions;
  private readonly sockets = new Set<Socket>();
  private listeningPort = 0;

  private constructor(options: FakeHttpProxyOptions) {
    this.options = options;
    const forward = (request: IncomingMessage, response: ServerResponse): void => this.forward(request, response);
    this.server = options.tls === undefined ? createServer(forward) : createTlsServer(options.tls, forward);
    this.server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => this.tunnel(request, socket, head));
    this.server.on(options.tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => this.track(socket));
  }

  static async start(options: FakeHttpProxyOptions = {}): Promise<FakeHttpProxy> {
    const proxy = new FakeHttpProxy(options);
    proxy.listeningPort = await listenOnLoopback(proxy.server);
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** `http://127.0.0.1:<port>` (`https://` with the tls option), without credentials. */
  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.listeningPort}`;
  }

  urlWithCredentials(username: string, password: string): string {
    return `${this.scheme}://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${this.listeningPort}`;
  }

  private get scheme(): 'http' | 'https' {
    return this.options.tls === undefined ? 'http' : 'https';
  }

  /** The `host:port` of every CONNECT seen, in order. */
  get connectTargets(): string[] {
    return this.requests.filter((request) => request.kind === 'connect').map((request) => request.target);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await closeHttpServer(this.server);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private record(kind: RecordedProxyRequest['kind'], request: IncomingMessage): RecordedProxyRequest {
    const credentials = parseBasicCredentials(request.headers['proxy-authorization']);
    const required = this.options.username !== undefined || this.options.password !== undefined;
    const accepted =
      !required ||
      (credentials !== undefined && credentials.username === (this.options.username ?? '') && credentials.password === (this.options.password ?? ''));
    const recorded: RecordedProxyRequest = { kind, target: request.url ?? '', method: request.method ?? '', headers: request.headers, accepted };
    if (credentials !== undefined) recorded.credentials = credentials;
    this.requests.push(recorded);
    return recorded;
  }

  private tunnel(request: IncomingMessage, client: Socket, head: Buffer): void {
    this.track(client);
    client.on('error', () => client.destroy());
    const recorded = this.record('connect', request);
    if (!recorded.accepted) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="fake"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (this.options.stallConnect === true) return;
    const [host, port] = splitHostPort(recorded.target);
    const upstream = connect(port, host);
    this.track(upstream);
    upstream.on('error', () => {
      if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      upstream.destroy();
    });
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const recorded = this.record('forward', request);
    if (!recorded.accepted) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="fake"', 'content-length': '0' });
      response.end();
      return;
    }
    let target: URL;
    try {
      target = new URL(recorded.target);
    } catch {
      response.writeHead(400, { 'content-length': '0' });
      response.end();
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: request.method, headers },
      (upstream) => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      },
    );
    outgoing.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-length': '0' });
      response.end();
    });
    // The client going away mid-response must end the upstream request too, as a real proxy does.
    response.once('close', () => {
      if (!response.writableFinished) outgoing.destroy();
    });
    request.pipe(outgoing);
  }
}

function parseBasicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? { username: decoded, password: '' } : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function splitHostPort(target: string): [string, number] {
  const colon = target.lastIndexOf(':');
  const host = target.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return [host, Number(target.slice(colon + 1))];
}
