import type { ChatRequest } from '../../canonical/chat-request.ts';
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
 * Custom bot parameters Poe's guide names for its OpenAI-compatible API
 * (https://creator.poe.com/docs/external-applications/openai-compatible-api, "Parameter handling"
 * and "Using custom parameters with extra_body": `aspect` and `quality` for image bots,
 * `web_search` and `thinking_level` for Gemini, `thinking_budget`). The OpenAI SDK's `extra_body`
 * merges them into the top level of the body, so that is where Poe reads them; it passes them to
 * the bot "best-effort". A client may send them top-level (or in `extra_body`); any other name
 * goes inside `parameters` (or `provider_options.poe.parameters`), the bot protocol's own field.
 */
const DOCUMENTED_BOT_PARAMETERS = new Set(['aspect', 'quality', 'web_search', 'thinking_level', 'thinking_budget']);

const UNKNOWN_FIELD_REASON =
  "Poe's OpenAI-compatible API does not take it, and it is not a custom bot parameter Poe documents (send it inside `parameters` to pass it to the bot as one, or list it in the provider's pass_through_fields)";

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
    acceptExtraField: (field, value) => DOCUMENTED_BOT_PARAMETERS.has(field) || (field === 'parameters' && isRecord(value)),
    unknownFieldReason: UNKNOWN_FIELD_REASON,
    transformRequestBody: (body, request, degraded) => {
      const drop = (field: string, reason: string): void => {
        degraded.push({ field, reason });
      };
      return addBotParameters(dropIgnoredFields(body, drop), request, drop);
    },
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

/**
 * Custom bot parameters given as an object — the client's `parameters` field (the bot protocol's
 * name for them) or `provider_options.poe.parameters` — go top-level, where Poe's OpenAI-compatible
 * API reads them. One that would replace a field llmux sets (`model`, `messages`, …) is not sent.
 */
function addBotParameters(body: OpenAICompatibleRequestBody, request: ChatRequest, drop: (field: string, reason: string) => void): OpenAICompatibleRequestBody {
  const given = body['parameters'];
  delete body['parameters'];
  const fromOptions = request.providerOptions?.['poe']?.['parameters'];
  if (fromOptions !== undefined && !isRecord(fromOptions)) drop('provider_options.poe.parameters', 'expected an object of custom bot parameters');
  const parameters = { ...(isRecord(given) ? given : {}), ...(isRecord(fromOptions) ? fromOptions : {}) };
  for (const [name, value] of Object.entries(parameters)) {
    if (name === '__proto__' || value === undefined) continue;
    if (name in body) drop(`parameters.${name}`, 'llmux sets this field from the request; not sent as a bot parameter');
    else body[name] = value;
  }
  return body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
