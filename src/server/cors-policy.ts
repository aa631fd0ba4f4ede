/**
 * Which browser origins may call llmux: Ollama's defaults (so browser apps built for Ollama work
 * unchanged), plus `cors.origins` from the config and `OLLAMA_ORIGINS`. Patterns may end in `*`
 * (`http://localhost:*`, `app://*`); a lone `*` allows every origin.
 * https://github.com/ollama/ollama/blob/main/envconfig/config.go (AllowedOrigins)
 */
const OLLAMA_DEFAULT_ORIGINS = [
  'http://localhost',
  'https://localhost',
  'http://localhost:*',
  'https://localhost:*',
  'http://127.0.0.1',
  'https://127.0.0.1',
  'http://127.0.0.1:*',
  'https://127.0.0.1:*',
  'http://0.0.0.0',
  'https://0.0.0.0',
  'http://0.0.0.0:*',
  'https://0.0.0.0:*',
  'app://*',
  'file://*',
  'tauri://*',
  'vscode-webview://*',
  'vscode-file://*',
];

export const CORS_ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS';
export const CORS_ALLOWED_HEADERS =
  'Authorization, Content-Type, User-Agent, Accept, X-Requested-With, OpenAI-Beta, x-api-key, anthropic-version, anthropic-beta, ' +
  'x-stainless-arch, x-stainless-async, x-stainless-custom-poll-interval, x-stainless-helper-method, x-stainless-lang, ' +
  'x-stainless-os, x-stainless-package-version, x-stainless-poll-helper, x-stainless-retry-count, x-stainless-runtime, ' +
  'x-stainless-runtime-version, x-stainless-timeout, anthropic-dangerous-direct-browser-access';
export const CORS_MAX_AGE_SECONDS = '43200';

export class CorsPolicy {
  readonly allowAll: boolean;
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(configured: readonly string[], ollamaOrigins: string | undefined) {
    const extra = (ollamaOrigins ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0);
    const all = [...OLLAMA_DEFAULT_ORIGINS, ...configured, ...extra];
    this.allowAll = all.includes('*');
    for (const pattern of all) {
      if (pattern.endsWith('*')) this.prefixes.push(pattern.slice(0, -1));
      else this.exact.add(pattern);
    }
  }

  /** Whether a request from `origin` to `host` may proceed. Same-origin requests always may. */
  allows(origin: string, host: string | undefined): boolean {
    if (this.allowAll || this.exact.has(origin)) return true;
    if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return true;
    return this.prefixes.some((prefix) => origin.startsWith(prefix));
  }
}
