import type { RouteDoc } from '../openapi/route-doc.ts';

/** The dashboard's page and the admin routes only it reads, in /openapi.json. */
export const DASHBOARD_ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'GET', path: '/ui', summary: 'Redirects to /ui/', tag: 'llmux', security: 'none', produces: ['text/html'] },
  { method: 'GET', path: '/ui/*', summary: 'The web dashboard and playground (static files; the data comes from the admin routes)', tag: 'llmux', security: 'admin', produces: ['text/html'] },
  { method: 'GET', path: '/admin/events', summary: 'Finished requests (their outcome records, never prompts) and those in flight, as server-sent events', tag: 'admin', security: 'admin', produces: ['text/event-stream'] },
  { method: 'GET', path: '/admin/requests/:id', summary: 'The outcome record of one of the last 200 requests, with its cost', tag: 'admin', security: 'admin' },
  { method: 'GET', path: '/admin/models', summary: 'Every routable model with its targets, capabilities, context length and price; each provider with its recent failures and resting keys', tag: 'admin', security: 'admin' },
  {
    method: 'GET',
    path: '/admin/usage/series',
    summary: 'Requests, errors, tokens, cost and latency and first-token percentiles in time buckets, from the usage records',
    tag: 'admin',
    security: 'admin',
    query: { range: 'hour (60 one-minute buckets), day (default; 48 half-hours) or month (30 days)', key: 'only this key name', model: 'only this requested model', provider: 'only this provider id' },
  },
];
