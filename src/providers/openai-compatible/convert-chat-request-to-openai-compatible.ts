import type { ChatMessage, ImagePart, FilePart, MediaSource } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ReasoningOptions } from '../../canonical/reasoning-options.ts';
import type { ResponseFormat } from '../../canonical/response-format.ts';
import type { ToolChoice } from '../../canonical/tool-definition.ts';
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
  /** What could not be sent, one line each, for the adapter to log. */
  warnings: string[];
}

/** Fields llmux sets itself; a client extra never overrides them. */
const RESERVED_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options']);

/** Canonical ChatRequest → chat-completions body for one dialect; what it cannot take is listed in `warnings`. */
export function convertChatRequestToOpenAICompatible(request: ChatRequest, dialect: OpenAICompatibleDialect): ConvertedOpenAICompatibleRequest {
  const warnings: string[] = [];
  const body: OpenAICompatibleRequestBody = { model: request.model, messages: convertMessages(request.messages, dialect, warnings) };
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
  if (request.reasoning !== undefined) addReasoning(body, request.reasoning, dialect, warnings);
  addExtendedSampling(body, request, dialect, warnings);
  if (request.contextLength !== undefined) {
    warnings.push(`contextLength (${request.contextLength}) dropped: the upstream sets its own context window`);
  }
  if (request.extra !== undefined) addExtras(body, request.extra, dialect, warnings);
  return { body: dialect.transformRequestBody(body, request, warnings), warnings };
}

type OpenAICompatibleTool = NonNullable<OpenAICompatibleRequestBody['tools']>[number];

function convertMessages(messages: readonly ChatMessage[], dialect: OpenAICompatibleDialect, warnings: string[]): OpenAICompatibleMessage[] {
  const converted: OpenAICompatibleMessage[] = [];
  messages.forEach((message, position) => {
    const where = `messages[${position}]`;
    // Tool results travel as their own `tool` messages, before whatever else the message holds
    // (Anthropic-style clients put results and text in one user turn).
    for (const part of message.parts) {
      if (part.type !== 'tool-result') continue;
      if (part.isError === true) warnings.push(`${where}: tool result ${part.toolCallId} is an error; OpenAI tool messages cannot mark it, sent as plain content`);
      converted.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.content });
    }
    const converter = MESSAGE_CONVERTERS[message.role];
    const result = converter(message, dialect, warnings, where);
    if (result !== undefined) converted.push(result);
  });
  return converted;
}

type MessageConverter = (message: ChatMessage, dialect: OpenAICompatibleDialect, warnings: string[], where: string) => OpenAICompatibleMessage | undefined;

const MESSAGE_CONVERTERS: Record<ChatMessage['role'], MessageConverter> = {
  system: (message, _dialect, warnings, where) => withName({ role: 'system', content: instructionText(message, warnings, where) }, message),
  developer: (message, dialect, warnings, where) =>
    withName({ role: dialect.developerRole, content: instructionText(message, warnings, where) }, message),
  user: (message, dialect, warnings, where) => {
    if (message.parts.length > 0 && message.parts.every((part) => part.type === 'tool-result')) return undefined;
    const parts: OpenAICompatibleContentPart[] = [];
    let onlyText = true;
    for (const part of message.parts) {
      if (part.type === 'text') parts.push({ type: 'text', text: part.text });
      else if (part.type === 'image') {
        parts.push(convertImage(part));
        onlyText = false;
      } else if (part.type === 'file') {
        parts.push(convertFile(part, dialect, where));
        onlyText = false;
      } else if (part.type !== 'tool-result') warnings.push(`${where}: ${part.type} part in a user message dropped`);
    }
    // Plain string content is what every OpenAI-compatible server accepts; parts only when needed.
    const content = onlyText ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('') : parts;
    return withName({ role: 'user', content }, message);
  },
  assistant: (message, dialect, warnings, where) => {
    let text = '';
    let reasoning = '';
    const toolCalls: OpenAICompatibleToolCall[] = [];
    for (const part of message.parts) {
      if (part.type === 'text') text += part.text;
      else if (part.type === 'reasoning') reasoning += part.text;
      else if (part.type === 'tool-call') toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
      else if (part.type !== 'tool-result') warnings.push(`${where}: ${part.type} part in an assistant message dropped`);
    }
    const converted: OpenAICompatibleMessage = { role: 'assistant', content: toolCalls.length > 0 && text.length === 0 ? null : text };
    if (toolCalls.length > 0) converted.tool_calls = toolCalls;
    // Earlier reasoning is dropped where the upstream cannot take it back: OpenAI's chat API never
    // does, and models are trained to ignore old reasoning, so this changes no answer.
    if (reasoning.length > 0 && dialect.historyReasoningField !== undefined) converted[dialect.historyReasoningField] = reasoning;
    return withName(converted, message);
  },
  tool: (message, _dialect, warnings, where) => {
    if (message.parts.some((part) => part.type !== 'tool-result')) warnings.push(`${where}: non-result parts of a tool message dropped`);
    return undefined;
  },
};

function withName<T extends OpenAICompatibleMessage>(converted: T, message: ChatMessage): T {
  if (message.name !== undefined && converted.role !== 'tool') (converted as { name?: string }).name = message.name;
  return converted;
}

function instructionText(message: ChatMessage, warnings: string[], where: string): string {
  let text = '';
  for (const part of message.parts) {
    if (part.type === 'text') text += part.text;
    else warnings.push(`${where}: ${part.type} part in a ${message.role} message dropped (only text is allowed there)`);
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
function convertFile(part: FilePart, dialect: OpenAICompatibleDialect, where: string): OpenAICompatibleContentPart {
  const label = part.filename ?? 'file';
  if (!dialect.fileParts) {
    throw new GatewayError('invalid_request', `${where}: file '${label}' cannot be sent: this provider takes no file inputs`, { param: 'messages', retryable: false });
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

function addReasoning(body: OpenAICompatibleRequestBody, reasoning: ReasoningOptions, dialect: OpenAICompatibleDialect, warnings: string[]): void {
  // A token budget (Anthropic `thinking.budget_tokens`) has no OpenAI field; the nearest effort stands in.
  const effort = reasoning.effort ?? (reasoning.budgetTokens === undefined ? undefined : effortForBudget(reasoning.budgetTokens));
  if (effort === undefined) return;
  const value = dialect.reasoningEffort(effort);
  if (value === undefined) warnings.push(`reasoning effort '${effort}' dropped: this upstream does not take it`);
  else body.reasoning_effort = value;
}

function effortForBudget(budgetTokens: number): 'none' | 'low' | 'medium' | 'high' {
  if (budgetTokens <= 0) return 'none';
  if (budgetTokens <= 2048) return 'low';
  if (budgetTokens <= 8192) return 'medium';
  return 'high';
}

function addExtendedSampling(body: OpenAICompatibleRequestBody, request: ChatRequest, dialect: OpenAICompatibleDialect, warnings: string[]): void {
  const fields: [string, string, number | undefined][] = [
    ['topK', 'top_k', request.topK],
    ['minP', 'min_p', request.minP],
    ['repeatPenalty', 'repetition_penalty', request.repeatPenalty],
  ];
  for (const [name, field, value] of fields) {
    if (value === undefined) continue;
    if (dialect.extendedSampling) body[field] = value;
    else warnings.push(`${name} (${value}) dropped: this upstream does not take ${field}`);
  }
}

function addExtras(body: OpenAICompatibleRequestBody, extra: Record<string, unknown>, dialect: OpenAICompatibleDialect, warnings: string[]): void {
  for (const [field, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    if (RESERVED_FIELDS.has(field) || field in body) {
      warnings.push(`extra field '${field}' ignored: llmux sets it from the request`);
    } else if (!dialect.acceptExtraField(field, value)) {
      warnings.push(`field '${field}' dropped: this upstream does not take it`);
    } else {
      body[field] = value;
    }
  }
}
