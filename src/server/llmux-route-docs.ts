import type { RouteDoc } from '../openapi/route-doc.ts';

const tag = 'llmux';

/** llmux's own routes in /openapi.json. */
export const LLMUX_ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'GET', path: '/health', summary: 'Ready check: {"status":"ok"}', tag, security: 'none' },
  { method: 'GET', path: '/', summary: 'Ollama heartbeat: "Ollama is running"', tag, security: 'none', produces: ['text/plain'] },
  { method: 'HEAD', path: '/', summary: 'Ollama heartbeat (headers only)', tag, security: 'none' },
  { method: 'GET', path: '/metrics', summary: 'Prometheus metrics', tag, security: 'admin', produces: ['text/plain'] },
  { method: 'GET', path: '/openapi.json', summary: 'This description', tag, security: 'none' },
];
