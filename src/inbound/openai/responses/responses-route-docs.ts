import type { RouteDoc } from '../../../openapi/route-doc.ts';
import { responsesCompactRequestSchema, responsesInputTokensRequestSchema, responsesRequestSchema } from './responses-request-schema.ts';

const tag = 'OpenAI Responses';

/** The Responses API routes in /openapi.json, under `/v1` and (as Codex calls them) at the root. */
export const RESPONSES_ROUTE_DOCS: readonly RouteDoc[] = ['/v1', ''].flatMap((prefix): RouteDoc[] => [
  { method: 'POST', path: `${prefix}/responses`, summary: 'Create a response (streamed as SSE with stream: true)', tag, security: 'client', body: { name: 'ResponsesRequest', schema: responsesRequestSchema }, produces: ['text/event-stream'] },
  { method: 'GET', path: `${prefix}/responses`, summary: 'The WebSocket transport: refused, use POST', tag, security: 'client' },
  { method: 'GET', path: `${prefix}/responses/:id`, summary: 'A stored response', tag, security: 'client' },
  { method: 'DELETE', path: `${prefix}/responses/:id`, summary: 'Delete a stored response', tag, security: 'client' },
  { method: 'GET', path: `${prefix}/responses/:id/input_items`, summary: "A stored response's input items", tag, security: 'client' },
  { method: 'POST', path: `${prefix}/responses/input_tokens`, summary: 'Count the input tokens of a request', tag, security: 'client', body: { name: 'ResponsesInputTokensRequest', schema: responsesInputTokensRequestSchema } },
  { method: 'POST', path: `${prefix}/responses/compact`, summary: 'Compact a conversation', tag, security: 'client', body: { name: 'ResponsesCompactRequest', schema: responsesCompactRequestSchema } },
]);
