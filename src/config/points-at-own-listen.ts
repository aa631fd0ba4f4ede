import type { GatewayConfig } from './gateway-config-schema.ts';

const LOOPBACK_OR_ANY = /^(localhost|127(\.\d{1,3}){3}|\[::1?\]|0\.0\.0\.0)$/i;

/**
 * Whether a provider's base URL is llmux's own listen address. Shells often export
 * `OLLAMA_HOST=127.0.0.1:11434` or `OPENAI_BASE_URL=http://localhost:11434/v1` for clients that
 * should reach llmux; as a provider that address would send every request back into llmux.
 */
export function pointsAtOwnListen(baseUrl: string, listen: GatewayConfig['listen']): boolean {
  if (listen.port === 0 || !URL.canParse(baseUrl)) return false;
  const url = new URL(baseUrl);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (port !== listen.port) return false;
  const host = url.hostname.toLowerCase();
  const listenHost = listen.host.toLowerCase();
  if (host === listenHost || host === `[${listenHost}]`) return true;
  const listensOnLoopback = LOOPBACK_OR_ANY.test(listenHost) || listenHost === '::1' || listenHost === '::';
  return listensOnLoopback && LOOPBACK_OR_ANY.test(host);
}
