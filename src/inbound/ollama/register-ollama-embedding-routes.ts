import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmbeddingResponse } from '../../canonical/embedding.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { ollamaEmbeddingsRequestSchema, ollamaEmbedRequestSchema } from './ollama-embedding-request-schemas.ts';
import type { OllamaModelEntry } from './ollama-model-directory.ts';
import type { OllamaRouteContext } from './ollama-route-context.ts';
import { parseKeepAlive } from './parse-keep-alive.ts';
import { parseOllamaBody } from './parse-ollama-body.ts';
import { resolveOllamaModel } from './resolve-ollama-model.ts';
import { loadTextTokenizer } from '../../tokens/text-tokenizer.ts';

/**
 * `POST /api/embed` (L2-normalized vectors; `dimensions` truncates, then normalizes again) and the
 * legacy `POST /api/embeddings` (one vector, as the upstream gave it).
 * https://github.com/ollama/ollama/blob/main/server/routes.go (EmbedHandler, EmbeddingsHandler)
 */
export function registerOllamaEmbeddingRoutes(scope: FastifyInstance, context: OllamaRouteContext): void {
  scope.post('/api/embed', async (request) => {
    const body = parseOllamaBody(ollamaEmbedRequestSchema, request.body, 'EmbedRequest');
    const name = body.model ?? '';
    const input = embedInput(body.input);
    const keepAliveMs = parseKeepAlive(body.keep_alive);
    const entry = await resolveOllamaModel(request, context, name);
    if (input.length === 0) {
      context.running.touch(entry, keepAliveMs);
      return { model: name, embeddings: [] };
    }
    const started = performance.now();
    const loadMs = started - request.llmux.receivedAt;
    const response = await embed(request, context, entry, input);
    context.running.touch(entry, keepAliveMs);
    const dimensions = body.dimensions ?? 0;
    const embeddings = response.embeddings.map((vector) => {
      const normalized = normalize(vector);
      return dimensions > 0 && dimensions < normalized.length ? normalize(normalized.slice(0, dimensions)) : normalized;
    });
    return {
      model: name,
      embeddings,
      total_duration: Math.round((performance.now() - request.llmux.receivedAt) * 1e6),
      load_duration: Math.round(loadMs * 1e6),
      prompt_eval_count: response.usage?.input.total ?? (await countTokens(input, request.llmux.controller.signal)),
    };
  });

  scope.post('/api/embeddings', async (request) => {
    const body = parseOllamaBody(ollamaEmbeddingsRequestSchema, request.body, 'EmbeddingRequest');
    const name = body.model ?? '';
    if (name.trim().length === 0) throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    const keepAliveMs = parseKeepAlive(body.keep_alive);
    const entry = await resolveOllamaModel(request, context, name, `model "${name}" not found, try pulling it first`);
    const prompt = body.prompt ?? '';
    if (prompt.length === 0) {
      context.running.touch(entry, keepAliveMs);
      return { embedding: [] };
    }
    const response = await embed(request, context, entry, [prompt]);
    context.running.touch(entry, keepAliveMs);
    return { embedding: response.embeddings[0] ?? [] };
  });
}

/** `input` as Ollama reads it: a string (empty means none) or strings; anything else is refused. */
function embedInput(input: unknown): string[] {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return input.length > 0 ? [input] : [];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input;
  throw new GatewayError('invalid_request', 'invalid input type', { param: 'input' });
}

async function embed(request: FastifyRequest, context: OllamaRouteContext, entry: OllamaModelEntry, input: string[]): Promise<EmbeddingResponse> {
  const { response } = await context.services.dispatcher.embed({ model: entry.servedName, input }, request.llmux.dispatch);
  if (response.embeddings.length !== input.length) {
    throw new GatewayError('upstream', `the upstream returned ${response.embeddings.length} embeddings for ${input.length} inputs`);
  }
  return response;
}

/** Ollama's normalize: v / max(‖v‖, 1e-12). */
function normalize(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const scale = 1 / Math.max(Math.sqrt(sum), 1e-12);
  return vector.map((value) => value * scale);
}

/** Prompt tokens when the upstream reported none, counted with the o200k tokenizer. */
async function countTokens(input: string[], signal: AbortSignal): Promise<number> {
  const tokenizer = await loadTextTokenizer();
  let total = 0;
  for (const text of input) total += await tokenizer.count(text, signal);
  return total;
}
