import type { RouteDoc } from '../../openapi/route-doc.ts';
import { openAIChatRequestSchema } from './openai-chat-request-schema.ts';
import { openAICompletionRequestSchema } from './openai-completion-request-schema.ts';
import { openAIEmbeddingRequestSchema } from './openai-embedding-request-schema.ts';
import { openAIImageRequestSchema } from './openai-image-request-schema.ts';
import { RESPONSES_ROUTE_DOCS } from './responses/responses-route-docs.ts';

const tag = 'OpenAI';

/** The OpenAI routes in /openapi.json, with the schemas that validate their bodies. */
export const OPENAI_ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'POST', path: '/v1/chat/completions', summary: 'Chat completion (streamed as SSE with stream: true)', tag, security: 'client', body: { name: 'OpenAIChatCompletionRequest', schema: openAIChatRequestSchema }, produces: ['text/event-stream'] },
  { method: 'POST', path: '/v1/completions', summary: 'Legacy text completion', tag, security: 'client', body: { name: 'OpenAICompletionRequest', schema: openAICompletionRequestSchema }, produces: ['text/event-stream'] },
  { method: 'GET', path: '/v1/models', summary: 'List the model names clients can use', tag, security: 'client' },
  { method: 'GET', path: '/v1/models/*', summary: 'One model', tag, security: 'client' },
  { method: 'POST', path: '/v1/embeddings', summary: 'Embeddings', tag, security: 'client', body: { name: 'OpenAIEmbeddingRequest', schema: openAIEmbeddingRequestSchema } },
  { method: 'POST', path: '/v1/images/generations', summary: 'Image generation', tag, security: 'client', body: { name: 'OpenAIImageGenerationRequest', schema: openAIImageRequestSchema } },
  ...RESPONSES_ROUTE_DOCS,
];
