import type { RouteDoc } from '../../openapi/route-doc.ts';
import { ollamaChatRequestSchema } from './ollama-chat-request-schema.ts';
import { ollamaEmbedRequestSchema, ollamaEmbeddingsRequestSchema } from './ollama-embedding-request-schemas.ts';
import { ollamaGenerateRequestSchema } from './ollama-generate-request-schema.ts';
import { ollamaCopyRequestSchema, ollamaCreateRequestSchema, ollamaDeleteRequestSchema, ollamaPullRequestSchema, ollamaShowRequestSchema } from './ollama-model-request-schemas.ts';

const tag = 'Ollama';
const ndjson = ['application/x-ndjson'];

/** The Ollama routes in /openapi.json, with the schemas that validate their bodies. */
export const OLLAMA_ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'POST', path: '/api/chat', summary: 'Chat (streamed as NDJSON unless stream: false)', tag, security: 'client', body: { name: 'OllamaChatRequest', schema: ollamaChatRequestSchema }, produces: ndjson },
  { method: 'POST', path: '/api/generate', summary: 'Generate from a prompt (streamed as NDJSON unless stream: false)', tag, security: 'client', body: { name: 'OllamaGenerateRequest', schema: ollamaGenerateRequestSchema }, produces: ndjson },
  { method: 'POST', path: '/api/embed', summary: 'Embeddings', tag, security: 'client', body: { name: 'OllamaEmbedRequest', schema: ollamaEmbedRequestSchema } },
  { method: 'POST', path: '/api/embeddings', summary: 'Embeddings (older form)', tag, security: 'client', body: { name: 'OllamaEmbeddingsRequest', schema: ollamaEmbeddingsRequestSchema } },
  { method: 'GET', path: '/api/tags', summary: 'List models', tag, security: 'client' },
  { method: 'HEAD', path: '/api/tags', summary: 'List models (headers only)', tag, security: 'client' },
  { method: 'GET', path: '/api/ps', summary: 'Models answered recently', tag, security: 'client' },
  { method: 'HEAD', path: '/api/ps', summary: 'Models answered recently (headers only)', tag, security: 'client' },
  { method: 'GET', path: '/api/version', summary: 'The Ollama version llmux reports', tag, security: 'client' },
  { method: 'HEAD', path: '/api/version', summary: 'The Ollama version (headers only)', tag, security: 'client' },
  { method: 'POST', path: '/api/show', summary: 'Details of one model', tag, security: 'client', body: { name: 'OllamaShowRequest', schema: ollamaShowRequestSchema } },
  { method: 'POST', path: '/api/pull', summary: 'Pull: succeeds at once for a model llmux serves', tag, security: 'client', body: { name: 'OllamaPullRequest', schema: ollamaPullRequestSchema }, produces: ndjson },
  { method: 'POST', path: '/api/push', summary: 'Push: not supported (a JSON error as Ollama gives)', tag, security: 'client', body: { name: 'OllamaPushRequest', schema: ollamaPullRequestSchema } },
  { method: 'POST', path: '/api/create', summary: 'Create: not supported (a JSON error as Ollama gives)', tag, security: 'client', body: { name: 'OllamaCreateRequest', schema: ollamaCreateRequestSchema } },
  { method: 'POST', path: '/api/copy', summary: 'Copy: not supported (a JSON error as Ollama gives)', tag, security: 'client', body: { name: 'OllamaCopyRequest', schema: ollamaCopyRequestSchema } },
  { method: 'DELETE', path: '/api/delete', summary: 'Delete: not supported (a JSON error as Ollama gives)', tag, security: 'client', body: { name: 'OllamaDeleteRequest', schema: ollamaDeleteRequestSchema } },
  { method: 'HEAD', path: '/api/blobs/:digest', summary: 'Blob check: always 404 (llmux keeps no blobs)', tag, security: 'client' },
  { method: 'POST', path: '/api/blobs/:digest', summary: 'Blob upload: not supported', tag, security: 'client' },
];
