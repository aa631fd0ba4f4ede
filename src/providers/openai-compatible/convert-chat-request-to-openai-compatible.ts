import { toolResultMedia, type ChatMessage, type ImagePart, type FilePart, type MediaSource } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ReasoningOptions } from '../../canonical/reasoning-options.ts';
import type { ResponseFormat } from '../../canonical/response-format.ts';
import type { ToolChoice } from '../../canonical/tool-definition.ts';
import type { OpenAIPlainMessage, SameProtocolHint } from '../provider-adapter.ts';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import type {
  OpenAICompatibleContentPart,
  OpenAICompatibleMessage,
  OpenAICompatibleRequestBody,
  OpenAICompatibleResponseFormat,
  OpenAICompatibleToolCall,
  OpenAICompatibleToolChoice,
} from './openai-compatible-request-body.ts';

export interface ConvertedOpenAICompatibleRequest {
  body: OpenAICompatibleRequestBody;
  /** What could not be sent and was dropped without changing what the answer is about. */
  degraded: DegradedField[];
}

/** Fields llmux sets itself; a client extra never overrides them. */
const RESERVED_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options']);

/**
 * Canonical ChatRequest → chat-completions body for one dialect. What the upstream cannot take is
 * refused (a GatewayError 400 naming the field) where dropping it would change the answer, and
 * otherwise listed in `degraded`. `passThroughFields` are client fields the provider's config
 * allows through as they are.
 */
export function convertChatRequestToOpenAICompatible(
  request: ChatRequest,
  dialect: OpenAICompatibleDialect,
  provider: { id?: string; passThroughFields?: ReadonlySet<string> } = {},
  hint?: SameProtocolHint,
): ConvertedOpenAICompatibleRequest {
  const degraded: DegradedField[] = [];
  const passThroughFields = provider.passThroughFields ?? NO_FIELDS;
  const providerLabel = provider.id === undefined ? 'this provider' : `provider '${provider.id}'`;
  refuseWhatChatCannotCarry(request, providerLabel);
  const messages = hint === undefined ? convertMessages(request.messages, dialect, degraded, providerLabel) : plainMessages(hint.openAIMessages, dialect);
  const body: OpenAICompatibleRequestBody = { model: request.model, messages };
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const definition: OpenAICompatibleTool['function'] = { name: tool.name, parameters: tool.parameters };
      if (tool.description !== undefined) definition.description = tool.description;
      if (tool.strict !== undefined) definition.strict = tool.strict;
      return { type: 'function', function: definition };
    });
  }
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined) body.response_format = convertResponseFormat(request.responseFormat);
  if (request.maxTokens !== undefined) body[dialect.maxTokensField] = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.logitBias !== undefined) body.logit_bias = request.logitBias;
  if (request.logprobs !== undefined) body.logprobs = request.logprobs;
  if (request.topLogprobs !== undefined) body.top_logprobs = request.topLogprobs;
  if (request.user !== undefined) body.user = request.user;
  if (request.reasoning !== undefined) addReasoning(body, request.reasoning, dialect, degraded);
  addExtendedSampling(body, request, dialect, degraded);
  if (request.contextLength !== undefined) {
    degraded.push({ field: 'num_ctx', reason: `the upstream sets its own context window (${request.contextLength} asked)` });
  }
  if (request.unmappedFields !== undefined) addUnmappedFields(body, request.unmappedFields, dialect, passThroughFields, degraded);
  return { body: dialect.transformRequestBody(body, request, degraded), degraded };
}

const NO_FIELDS: ReadonlySet<string> = new Set();

/**
 * Chat completions have no fill-in-the-middle and always apply the model's chat template, so a
 * suffix or a raw prompt sent as a plain message would get an answer to another question.
 */
function refuseWhatChatCannotCarry(request: ChatRequest, provider: string): void {
  if (request.suffix !== undefined && request.suffix.length > 0) {
    throw new GatewayError('invalid_request', `suffix (fill-in-the-middle) is not supported by ${provider}: its chat API has no insertion point`, {
      param: 'suffix',
      code: 'unsupported_parameter',
      retryable: false,
    });
  }
  if (request.rawPrompt === true) {
    throw new GatewayError('invalid_request', `raw prompts are not supported by ${provider}: its chat API always applies the model's template`, {
      param: 'raw',
      code: 'unsupported_parameter',
      retryable: false,
    });
  }
}

/**
 * The client's own plain text turns (the same-protocol fast path: see SameProtocolHint), sent as
 * they are — what convertMessages makes of the canonical messages they equal — but for the role
 * `developer`, which goes as the dialect sends it.
 */
function plainMessages(messages: readonly OpenAIPlainMessage[], dialect: OpenAICompatibleDialect): OpenAICompatibleMessage[] {
  if (dialect.developerRole === 'developer' || !messages.some((message) => message.role === 'developer')) return messages as OpenAICompatibleMessage[];
  return messages.map((message) => (message.role === 'developer' ? { ...message, role: dialect.developerRole } : message) as OpenAICompatibleMessage);
}

type OpenAICompatibleTool = NonNullable<OpenAICompatibleRequestBody['tools']>[number];

function convertMessages(messages: readonly ChatMessage[], dialect: OpenAICompatibleDialect, degraded: DegradedField[], providerLabel = 'this provider'): OpenAICompatibleMessage[] {
  const converted: OpenAICompatibleMessage[] = [];
  // Images and files from tool results: a tool message holds only text, so they follow the results as a user message.
  let resultMedia: OpenAICompatibleContentPart[] = [];
  const flushResultMedia = () => {
    if (resultMedia.length > 0) converted.push({ role: 'user', content: resultMedia });
    resultMedia = [];
  };
  messages.forEach((message, position) => {
    const where = `messages[${position}]`;
    // Tool results travel as their own `tool` messages, before whatever else the message holds
    // (Anthropic-style clients put results and text in one user turn).
    for (const part of message.parts) {
      if (part.type !== 'tool-result') continue;
      if (part.isError === true) degraded.push({ field: 'is_error', reason: `${where}: tool result ${part.toolCallId} is an error; OpenAI tool messages cannot mark it, sent as plain content` });
      converted.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.content });
      const media = toolResultMedia(part);
      if (media.length === 0) continue;
      for (const item of media) resultMedia.push(item.type === 'image' ? convertImage(item) : convertFile(item, dialect, where, providerLabel));
      degraded.push({
        field: 'messages',
        reason: `${where}: ${media.length} image(s) or file(s) of tool result ${part.toolCallId} sent in a user message after the results; ${providerLabel} takes only text in tool messages`,
      });
    }
    const converter = MESSAGE_CONVERTERS[message.role];
    const result = converter(message, dialect, degraded, where, providerLabel);
    if (result !== undefined) {
      flushResultMedia();
      converted.push(result);
    }
  });
  flushResultMedia();
  return converted;
}

type MessageConverter = (message: ChatMessage, dialect: OpenAICompatibleDialect, degraded: DegradedField[], where: string, providerLabel: string) => OpenAICompatibleMessage | undefined;

const MESSAGE_CONVERTERS: Record<ChatMessage['role'], MessageConverter> = {
  system: (message, _dialect, degraded, where) => withName({ role: 'system', content: instructionText(message, degraded, where) }, message),
  developer: (message, dialect, degraded, where) =>
    withName({ role: dialect.developerRole, content: instructionText(message, degraded, where) }, message),
  user: (message, dialect, degraded, where, providerLabel) => {
    if (message.parts.length > 0 && message.parts.every((part) => part.type === 'tool-result')) return undefined;
    const parts: OpenAICompatibleContentPart[] = [];
    let onlyText = true;
    for (const part of message.parts) {
      if (part.type === 'text') parts.push({ type: 'text', text: part.text });
      else if (part.type === 'image') {
        parts.push(convertImage(part));
        onlyText = false;
      } else if (part.type === 'file') {
        parts.push(convertFile(part, dialect, where, providerLabel));
        onlyText = false;
      } else if (part.type !== 'tool-result') degraded.push({ field: 'messages', reason: `${where}: ${part.type} part in a user message dropped` });
    }
    // Plain string content is what every OpenAI-compatible server accepts; parts only when needed.
    const content = onlyText ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('') : parts;
    return withName({ role: 'user', content }, message);
  },
  assistant: (message, dialect, degraded, where) => {
    let text = '';
    let reasoning = '';
    const toolCalls: OpenAICompatibleToolCall[] = [];
    for (const part of message.parts) {
      if (part.type === 'text') text += part.text;
      else if (part.type === 'reasoning') reasoning += part.text;
      else if (part.type === 'tool-call') toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
      else if (part.type !== 'tool-result') degraded.push({ field: 'messages', reason: `${where}: ${part.type} part in an assistant message dropped` });
    }
    const converted: OpenAICompatibleMessage = { role: 'assistant', content: toolCalls.length > 0 && text.length === 0 ? null : text };
    if (toolCalls.length > 0) converted.tool_calls = toolCalls;
    // Earlier reasoning is dropped where the upstream cannot take it back: OpenAI's chat API never
    // does, and models are trained to ignore old reasoning, so this changes no answer.
    if (reasoning.length > 0 && dialect.historyReasoningField !== undefined) converted[dialect.historyReasoningField] = reasoning;
    return withName(converted, message);
  },
  tool: (message, _dialect, degraded, where) => {
    if (message.parts.some((part) => part.type !== 'tool-result')) degraded.push({ field: 'messages', reason: `${where}: non-result parts of a tool message dropped` });
    return undefined;
  },
};

function withName<T extends OpenAICompatibleMessage>(converted: T, message: ChatMessage): T {
  if (message.name !== undefined && converted.role !== 'tool') (converted as { name?: string }).name = message.name;
  return converted;
}

/** System and developer messages carry text only; an image or file there cannot be dropped unseen. */
function instructionText(message: ChatMessage, degraded: DegradedField[], where: string): string {
  let text = '';
  for (const part of message.parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'image' || part.type === 'file') {
      throw new GatewayError('invalid_request', `${where}: a ${message.role} message can hold only text; send the ${part.type} in a user message`, {
        param: 'messages',
        retryable: false,
      });
    } else degraded.push({ field: 'messages', reason: `${where}: ${part.type} part in a ${message.role} message dropped (only text is allowed there)` });
  }
  return text;
}

function dataUrl(source: MediaSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

function convertImage(part: ImagePart): OpenAICompatibleContentPart {
  const imageUrl: { url: string; detail?: 'auto' | 'low' | 'high' } = { url: dataUrl(part.source) };
  if (part.detail !== undefined) imageUrl.detail = part.detail;
  return { type: 'image_url', image_url: imageUrl };
}

/**
 * A file the model is asked about cannot be dropped quietly — the answer would be about nothing —
 * so one this upstream cannot take is refused with a 400 before any call.
 */
function convertFile(part: FilePart, dialect: OpenAICompatibleDialect, where: string, providerLabel: string): OpenAICompatibleContentPart {
  const label = part.filename ?? 'file';
  if (!dialect.fileParts) {
    throw new GatewayError('invalid_request', `${where}: file '${label}' cannot be sent: ${providerLabel} takes no file inputs`, { param: 'messages', retryable: false });
  }
  const data = dataUrl(part.source);
  // Chat completions take files only inline (`file_data`) or as uploaded ids, never by URL.
  if (!data.startsWith('data:')) {
    throw new GatewayError('invalid_request', `${where}: file '${label}' must be sent inline (base64 data), not by URL`, { param: 'messages', retryable: false });
  }
  const file: { file_data: string; filename?: string } = { file_data: data };
  if (part.filename !== undefined) file.filename = part.filename;
  return { type: 'file', file };
}

function convertToolChoice(choice: ToolChoice): OpenAICompatibleToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function convertResponseFormat(format: ResponseFormat): OpenAICompatibleResponseFormat {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  const jsonSchema: { name: string; schema: Record<string, unknown>; strict?: boolean } = { name: format.name ?? 'response', schema: format.schema };
  if (format.strict !== undefined) jsonSchema.strict = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
}

function addReasoning(body: OpenAICompatibleRequestBody, reasoning: ReasoningOptions, dialect: OpenAICompatibleDialect, degraded: DegradedField[]): void {
  // A token budget (Anthropic `thinking.budget_tokens`) has no OpenAI field; the nearest effort stands in.
  const effort = reasoning.effort ?? (reasoning.budgetTokens === undefined ? undefined : effortForBudget(reasoning.budgetTokens));
  if (effort === undefined) return;
  const value = dialect.reasoningEffort(effort);
  if (value === undefined) degraded.push({ field: 'reasoning_effort', reason: `reasoning effort '${effort}' dropped: this upstream does not take it` });
  else body.reasoning_effort = value;
}

function effortForBudget(budgetTokens: number): 'none' | 'low' | 'medium' | 'high' {
  if (budgetTokens <= 0) return 'none';
  if (budgetTokens <= 2048) return 'low';
  if (budgetTokens <= 8192) return 'medium';
  return 'high';
}

function addExtendedSampling(body: OpenAICompatibleRequestBody, request: ChatRequest, dialect: OpenAICompatibleDialect, degraded: DegradedField[]): void {
  const fields: [string, number | undefined][] = [
    ['top_k', request.topK],
    ['min_p', request.minP],
    ['repetition_penalty', request.repeatPenalty],
  ];
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    if (dialect.extendedSampling) body[field] = value;
    else degraded.push({ field, reason: `${field} (${value}) dropped: this upstream does not take it` });
  }
}

/**
 * Client fields with no canonical home go out only where the dialect knows them or the provider's
 * config passes them through (`pass_through_fields`); the rest are declared, never sent blindly.
 */
function addUnmappedFields(
  body: OpenAICompatibleRequestBody,
  fields: Record<string, unknown>,
  dialect: OpenAICompatibleDialect,
  passThroughFields: ReadonlySet<string>,
  degraded: DegradedField[],
): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (RESERVED_FIELDS.has(field) || field in body) {
      degraded.push({ field, reason: 'llmux sets it from the request' });
    } else if (passThroughFields.has(field) || dialect.acceptExtraField(field, value)) {
      body[field] = value;
    } else {
      degraded.push({ field, reason: dialect.unknownFieldReason });
    }
  }
}
