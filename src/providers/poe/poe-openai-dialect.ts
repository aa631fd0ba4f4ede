import { resolveOpenAICompatibleDialect, type OpenAICompatibleDialect } from '../openai-compatible/openai-compatible-dialect.ts';
import type { OpenAICompatibleRequestBody } from '../openai-compatible/openai-compatible-request-body.ts';
import { POE_ENDPOINTS } from './poe-endpoints.ts';
import { parsePoeErrorBody } from './parse-poe-error-body.ts';

/**
 * Fields Poe's OpenAI-compatible API ignores
 * (https://creator.poe.com/docs/external-applications/openai-compatible-api): they are not sent,
 * and their dropping is logged, so nobody believes they had an effect.
 */
const IGNORED_FIELDS = [
  'store',
  'metadata',
  'prediction',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'service_tier',
  'audio',
  'logit_bias',
  'user',
  'modalities',
] as const;

/**
 * Poe's OpenAI-compatible API as a dialect of the generic adapter: its default base URL,
 * `developer` → `system` (some Poe paths answer `Invalid 'role': Input should be 'system', 'user'
 * or 'bot'`), `n` must be 1, `response_format` json_schema is refused (see refusePoeJsonSchema), no embeddings, and
 * its own error shape `{"error":{code,type,message}}` (code a number or a string).
 */
export function createPoeOpenAIDialect(): OpenAICompatibleDialect {
  return resolveOpenAICompatibleDialect({
    defaultBaseUrl: POE_ENDPOINTS.openaiBaseUrl,
    developerRole: 'system',
    maxTokensField: 'max_tokens',
    fileParts: true,
    embeddings: false,
    retryWithoutRejectedParam: false,
    // Bots take their own parameters (`aspect`, `quality`, …) as top-level fields.
    acceptExtraField: () => true,
    transformRequestBody: (body, _request, degraded) => dropIgnoredFields(body, (field, reason) => degraded.push({ field, reason })),
    parseErrorBody: (input) => parsePoeErrorBody(input, { nameKind: 'model' }),
  });
}

export function dropIgnoredFields(body: OpenAICompatibleRequestBody, drop: (field: string, reason: string) => void): OpenAICompatibleRequestBody {
  for (const field of IGNORED_FIELDS) {
    if (body[field] === undefined) continue;
    delete body[field];
    drop(field, 'Poe ignores it');
  }
  // A json_schema never gets here: the adapter refuses it with a 400 (refusePoeJsonSchema).
  if (body['n'] !== undefined) {
    if (body['n'] !== 1) drop('n', `${String(body['n'])} asked; Poe answers with one choice`);
    delete body['n'];
  }
  return body;
}
