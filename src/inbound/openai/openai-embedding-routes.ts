import type { FastifyInstance } from 'fastify';
import type { EmbeddingRequest } from '../../canonical/embedding.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { answeredModel } from '../../routing/answered-model.ts';
import type { GatewayServices } from '../../server/gateway-services.ts';
import { float32Base64 } from './float32-base64.ts';
import { openAIEmbeddingRequestSchema, type OpenAIEmbeddingRequest } from './openai-embedding-request-schema.ts';
import { parseOpenAIRequestBody } from './parse-openai-request-body.ts';
import { loadTextTokenizer } from '../../tokens/text-tokenizer.ts';

/** `POST /v1/embeddings` → `dispatcher.embed`, answered as OpenAI's embedding list. */
export function registerOpenAIEmbeddingRoutes(scope: FastifyInstance, services: GatewayServices): void {
  scope.post('/v1/embeddings', async (request, reply) => {
    const body = parseOpenAIRequestBody(openAIEmbeddingRequestSchema, request.body);
    const input = textInputs(body.input);
    const embeddingRequest: EmbeddingRequest = { model: body.model, input };
    if (body.dimensions != null) embeddingRequest.dimensions = body.dimensions;
    const { response, model } = await services.dispatcher.embed(embeddingRequest, request.llmux.dispatch);
    if (response.embeddings.length !== input.length) {
      throw new GatewayError('upstream', `the upstream returned ${response.embeddings.length} embeddings for ${input.length} inputs`);
    }
    const base64 = body.encoding_format === 'base64';
    const promptTokens = response.usage?.input.total ?? (await countInputTokens(input, request.llmux.controller.signal));
    return reply.send({
      object: 'list',
      data: response.embeddings.map((embedding, index) => ({ object: 'embedding', embedding: base64 ? float32Base64(embedding) : embedding, index })),
      // The client's name, or the default model's when default_model answered an unknown name.
      model: answeredModel(model, body.model),
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  });
}

function textInputs(input: OpenAIEmbeddingRequest['input']): string[] {
  if (typeof input === 'string') return [input];
  const texts: string[] = [];
  for (const item of input) {
    if (typeof item !== 'string') {
      throw new GatewayError('invalid_request', 'input: token-id arrays are not supported; send the input as a string or an array of strings', {
        param: 'input',
        code: 'unsupported_value',
      });
    }
    texts.push(item);
  }
  return texts;
}

/** Upstreams that report no usage are counted with the o200k tokenizer, never given a constant. */
async function countInputTokens(input: readonly string[], signal: AbortSignal): Promise<number> {
  const tokenizer = await loadTextTokenizer();
  let total = 0;
  for (const text of input) total += await tokenizer.count(text, signal);
  return total;
}
