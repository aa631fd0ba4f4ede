import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertChatMessagesToGemini } from './convert-chat-messages-to-gemini.ts';
import { convertJsonSchemaToGemini, type DroppedSchemaKeyword } from './convert-json-schema-to-gemini.ts';
import type { GeminiGenerationConfig, GeminiRequestBody } from './gemini-request-body.ts';

export interface GeminiChatConversion {
  body: GeminiRequestBody;
  degraded: DegradedField[];
}

export interface GeminiConversionContext {
  providerId: string;
  /** Client body fields the provider's config sends to Gemini as they are (`pass_through_fields`). */
  passThroughFields?: ReadonlySet<string>;
  rememberedSignature: (call: { id: string; name: string; arguments: string }) => string | undefined;
}

/** Thinking budgets for effort levels on models that take a budget (Gemini 2.5: 128–32768; -1 is dynamic). */
const BUDGET_BY_EFFORT = { minimal: 512, low: 1024, medium: 8192, high: 24576, max: 32768 } as const;
const LEVEL_BY_EFFORT = { minimal: 'MINIMAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', max: 'HIGH' } as const;

/**
 * A canonical request → `models/{model}:generateContent` (https://ai.google.dev/api/generate-content):
 * messages as `contents`, tools as `functionDeclarations` with schemas Gemini accepts, tool choice
 * as `toolConfig`, sampling, structured output and reasoning in `generationConfig` (Gemini 3
 * `thinkingLevel`, Gemini 2.5 `thinkingBudget`, thoughts included so reasoning reaches the client).
 */
export function convertChatRequestToGemini(request: ChatRequest, context: GeminiConversionContext): GeminiChatConversion {
  const degraded: DegradedField[] = [];
  const refuse = (param: string, what: string): never => {
    throw new GatewayError('invalid_request', `${what} is not supported by provider '${context.providerId}' (Gemini)`, { param });
  };
  if (request.suffix !== undefined) refuse('suffix', 'fill-in-the-middle (suffix)');
  if (request.rawPrompt === true) refuse('raw', 'a raw prompt');
  const gemini3 = /(^|\/)gemini-3/.test(request.model);
  const { contents, system } = convertChatMessagesToGemini(request.messages, {
    providerId: context.providerId,
    requiresSignatures: gemini3,
    rememberedSignature: context.rememberedSignature,
    degraded,
  });
  if (contents.length === 0) refuse('messages', 'a request with no user or assistant message');
  const body: GeminiRequestBody = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };

  const declare = (prefix: string, dropped: DroppedSchemaKeyword[]): void => {
    for (const entry of dropped) degraded.push({ field: `${prefix}.${entry.path}`, reason: entry.reason });
  };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => {
          const { schema, dropped } = convertJsonSchemaToGemini(tool.parameters, `tool '${tool.name}'`, 'tools');
          declare(`tools[${tool.name}]`, dropped);
          return { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), ...(schema === undefined ? {} : { parameters: schema }) };
        }),
      },
    ];
    const choice = request.toolChoice;
    if (choice === 'none') body.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
    else if (choice === 'required') body.toolConfig = { functionCallingConfig: { mode: 'ANY' } };
    else if (typeof choice === 'object') body.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
    else if (choice === 'auto') body.toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
  }
  if (request.parallelToolCalls === false) degraded.push({ field: 'parallel_tool_calls', reason: 'Gemini has no switch for parallel function calls' });

  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  if (request.logprobs === true) {
    config.responseLogprobs = true;
    if (request.topLogprobs !== undefined && request.topLogprobs > 0) config.logprobs = request.topLogprobs;
  }
  const format = request.responseFormat;
  if (format?.type === 'json') config.responseMimeType = 'application/json';
  else if (format?.type === 'json-schema') {
    config.responseMimeType = 'application/json';
    const { schema, dropped } = convertJsonSchemaToGemini(format.schema, `response_format${format.name === undefined ? '' : ` '${format.name}'`}`, 'response_format', 'schema');
    if (schema !== undefined) config.responseSchema = schema;
    declare('response_format', dropped);
  }
  const thinking = thinkingConfig(request, gemini3, degraded);
  if (thinking !== undefined) config.thinkingConfig = thinking;
  if (Object.keys(config).length > 0) body.generationConfig = config;

  for (const [field, present, reason] of [
    ['min_p', request.minP !== undefined, 'Gemini has no min_p'],
    ['repeat_penalty', request.repeatPenalty !== undefined, 'Gemini has no repeat_penalty'],
    ['logit_bias', request.logitBias !== undefined, 'Gemini has no logit_bias'],
    ['user', request.user !== undefined, 'Gemini has no end-user id'],
    ['num_ctx', request.contextLength !== undefined, "a Gemini model's context window is fixed"],
  ] as const) {
    if (present) degraded.push({ field, reason });
  }
  for (const [field, value] of Object.entries(request.unmappedFields ?? {})) {
    if (context.passThroughFields?.has(field) === true) (body as unknown as Record<string, unknown>)[field] = value;
    else degraded.push({ field, reason: `Gemini's generateContent has no '${field}'` });
  }
  applyProviderOptions(request.providerOptions?.gemini, body as unknown as Record<string, unknown>, context.providerId);
  return { body, degraded };
}

function thinkingConfig(request: ChatRequest, gemini3: boolean, degraded: DegradedField[]): GeminiGenerationConfig['thinkingConfig'] {
  const reasoning = request.reasoning;
  const thinkingModel = gemini3 || /(^|\/)gemini-2\.5/.test(request.model);
  if (reasoning === undefined) return thinkingModel ? { includeThoughts: true } : undefined;
  if (reasoning.effort === 'none') {
    if (!gemini3) return { thinkingBudget: 0 };
    degraded.push({ field: 'reasoning_effort', reason: 'Gemini 3 cannot turn thinking off; it thinks at its minimal level' });
    return { thinkingLevel: 'MINIMAL' };
  }
  if (gemini3 && reasoning.effort !== undefined) return { includeThoughts: true, thinkingLevel: LEVEL_BY_EFFORT[reasoning.effort] };
  if (reasoning.budgetTokens !== undefined) return { includeThoughts: true, thinkingBudget: reasoning.budgetTokens };
  if (reasoning.effort !== undefined) return { includeThoughts: true, thinkingBudget: BUDGET_BY_EFFORT[reasoning.effort] };
  return { includeThoughts: true };
}

/** `provider_options.gemini`: the request fields llmux has no canonical field for and passes on as they are. */
function applyProviderOptions(options: Record<string, unknown> | undefined, body: Record<string, unknown>, providerId: string): void {
  if (options === undefined) return;
  for (const [key, value] of Object.entries(options)) {
    if (key === 'safetySettings' && Array.isArray(value)) body.safetySettings = value;
    else if (key === 'cachedContent' && typeof value === 'string') body.cachedContent = value;
    else throw new GatewayError('invalid_request', `provider_options.gemini.${key} is not an option provider '${providerId}' takes (safetySettings: array, cachedContent: string)`, { param: `provider_options.gemini.${key}` });
  }
}
