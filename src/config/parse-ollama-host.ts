/** Ollama's own default port, used when OLLAMA_HOST names none. */
const OLLAMA_DEFAULT_PORT = 11434;

export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * OLLAMA_HOST as Ollama's server reads it for its own listen address: `host`, `host:port`,
 * `:port`, `scheme://host[:port]`; host 127.0.0.1 and port 11434 when left out (80 / 443 when a
 * scheme is given without a port). Undefined when the value is none of these.
 * https://github.com/ollama/ollama/blob/main/envconfig/config.go (Host)
 */
export function parseOllamaHost(value: string): ListenAddress | undefined {
  const text = value.trim();
  const schemeEnd = text.indexOf('://');
  const scheme = schemeEnd === -1 ? 'http' : text.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  let hostPort = schemeEnd === -1 ? text : text.slice(schemeEnd + 3);
  const slash = hostPort.indexOf('/');
  if (slash !== -1) hostPort = hostPort.slice(0, slash);
  const defaultPort = schemeEnd === -1 ? OLLAMA_DEFAULT_PORT : scheme === 'https' ? 443 : 80;
  // A bare IPv6 address has colons but no port.
  if ((hostPort.match(/:/g) ?? []).length > 1 && !hostPort.startsWith('[')) hostPort = `[${hostPort}]`;
  const match = /^(\[[^\]]+\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(hostPort);
  if (match === null) return undefined;
  const bracketed = match[1] ?? '';
  const host = bracketed === '' ? '127.0.0.1' : bracketed.startsWith('[') ? bracketed.slice(1, -1) : bracketed;
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (port > 65535) return undefined;
  return { host, port };
}
