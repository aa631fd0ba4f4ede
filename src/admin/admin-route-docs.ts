import type { RouteDoc } from '../openapi/route-doc.ts';
import { createClientKeyInputSchema, updateClientKeyInputSchema } from './client-key-input-schemas.ts';

const tag = 'admin';

/** The admin routes in /openapi.json. */
export const ADMIN_ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'GET', path: '/admin/keys', summary: 'List stored client keys (never their secrets)', tag, security: 'admin' },
  { method: 'POST', path: '/admin/keys', summary: 'Create a stored client key; the answer carries its secret, once', tag, security: 'admin', body: { name: 'CreateClientKey', schema: createClientKeyInputSchema } },
  { method: 'GET', path: '/admin/keys/:name', summary: 'One stored key, with its spend this day and month', tag, security: 'admin' },
  { method: 'PATCH', path: '/admin/keys/:name', summary: "Change a key's models, limits or budget (null removes one)", tag, security: 'admin', body: { name: 'UpdateClientKey', schema: updateClientKeyInputSchema } },
  { method: 'DELETE', path: '/admin/keys/:name', summary: 'Revoke a key; refused within a second', tag, security: 'admin' },
  {
    method: 'GET',
    path: '/admin/usage',
    summary: 'Requests, tokens and spend, grouped; or the latest records',
    tag,
    security: 'admin',
    query: { by: 'key (default), model, provider or day', since: 'how far back: 7d (default 30d), 24h, 30m, 2w or a date', records: 'instead of a summary, this many latest records (at most 1000)' },
  },
];
