import type { RouteDoc } from '../../openapi/route-doc.ts';
import { anthropicCountTokensRequestSchema, anthropicMessagesRequestSchema } from './anthropic-messages-request-schema.ts';

const tag = 'Anthropic';

/**
 * The Anthropic routes in /openapi.json. Its `/v1/models` (chosen by the `anthropic-version`
 * header) shares the path of OpenAI's, which describes it.
 */
export const ANTHROPIC_ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'POST', path: '/v1/messages', summary: 'Create a message (streamed as SSE with stream: true)', tag, security: 'client', body: { name: 'AnthropicMessagesRequest', schema: anthropicMessagesRequestSchema }, produces: ['text/event-stream'] },
  { method: 'POST', path: '/v1/messages/count_tokens', summary: "Count a request's input tokens", tag, security: 'client', body: { name: 'AnthropicCountTokensRequest', schema: anthropicCountTokensRequestSchema } },
];
