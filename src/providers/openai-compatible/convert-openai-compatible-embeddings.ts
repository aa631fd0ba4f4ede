import type { EmbeddingResponse } from '../../canonical/embedding.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { openAICompatibleEmbeddingsSchema } from './openai-compatible-response-schemas.ts';

/** `POST /embeddings` body → vectors in input order (by `index`), with usage where reported. */
export function convertOpenAICompatibleEmbeddings(payload: unknown, inputCount: number): EmbeddingResponse {
  const parsed = openAICompatibleEmbeddingsSchema.safeParse(payload);
  if (!parsed.success) throw new GatewayError('upstream', 'the upstream answered with a body that is not an embeddings list');
  const { data, model, usage } = parsed.data;
  if (data.length !== inputCount) {
    throw new GatewayError('upstream', `the upstream returned ${data.length} embeddings for ${inputCount} inputs`);
  }
  const embeddings: number[][] = new Array<number[]>(inputCount);
  data.forEach((item, position) => {
    const index = item.index ?? position;
    if (index < 0 || index >= inputCount || embeddings[index] !== undefined) {
      throw new GatewayError('upstream', `the upstream returned an embedding with index ${index} for ${inputCount} inputs`);
    }
    embeddings[index] = typeof item.embedding === 'string' ? decodeFloat32Base64(item.embedding) : item.embedding;
  });
  const response: EmbeddingResponse = { embeddings };
  if (model) response.model = model;
  const inputTokens = usage?.prompt_tokens ?? usage?.total_tokens;
  if (typeof inputTokens === 'number') response.usage = { input: { total: inputTokens }, output: { total: 0 }, source: 'upstream', raw: usage };
  return response;
}

/** OpenAI's `encoding_format: base64`: little-endian float32s. */
function decodeFloat32Base64(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) values.push(bytes.readFloatLE(offset));
  return values;
}
