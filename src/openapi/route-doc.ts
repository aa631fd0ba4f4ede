import type { z } from 'zod';

export type DocumentedMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What `/openapi.json` says of one route. Each protocol (and llmux's own routes) lists its
 * routes' docs beside them; request bodies are the very zod schemas that validate them.
 */
export interface RouteDoc {
  method: DocumentedMethod;
  /** Fastify's form: `/v1/models/*`, `/admin/keys/:name`. */
  path: string;
  summary: string;
  /** The group in the description: `OpenAI`, `Ollama`, `llmux`, `admin`. */
  tag: string;
  /** The request body's schema, and its name under components.schemas. */
  body?: { name: string; schema: z.ZodType };
  /** Query parameters: name → description. */
  query?: Record<string, string>;
  /** Who may call it: client keys (the model routes), the admin key, or anyone. */
  security: 'client' | 'admin' | 'none';
  /** The kinds of answer it gives besides JSON: `text/event-stream`, `application/x-ndjson`, `text/plain`. */
  produces?: string[];
}

/** Fastify route `config` that keeps a route out of `/openapi.json` (catch-alls, 405 answers). */
export const HIDDEN_FROM_OPENAPI = { openapi: false } as const;
