import type { ChatMessage, MessagePart } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ReasoningEffort } from '../../canonical/reasoning-options.ts';
import type { ResponseFormat } from '../../canonical/response-format.ts';
import type { ToolChoice, ToolDefinition } from '../../canonical/tool-definition.ts';
import { convertOpenAIContentPart } from './convert-openai-content-part.ts';
import { applyOpenAISamplingFields, collectOpenAIUnmappedFields } from './convert-openai-sampling-fields.ts';
import { KNOWN_OPENAI_CHAT_FIELDS, type OpenAIChatMessage, type OpenAIChatRequest } from './openai-chat-request-schema.ts';
import { clipText, MAX_QUOTED_CHARS } from '../../canonical/quote-client-text.ts';

/** A validated `/v1/chat/completions` body → the canonical request. */
export function convertOpenAIRequestToChatRequest(body: OpenAIChatRequest): ChatRequest {
  if (body.modalities?.includes('audio') === true || (body.audio !== undefined && body.audio !== null)) {
    throw new GatewayError('invalid_request', 'audio output is not supported by llmux; request text only', { param: 'modalities' });
  }
  const request: ChatRequest = { model: body.model, messages: convertMessages(body.messages), stream: body.stream ?? false };
  applyOpenAISamplingFields(body, request);

  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (body.logprobs != null) request.logprobs = body.logprobs;
  if (body.top_logprobs != null) request.topLogprobs = body.top_logprobs;
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;

  const tools = convertTools(body);
  if (tools !== undefined) request.tools = tools;
  const toolChoice = convertToolChoice(body, tools);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  const responseFormat = convertResponseFormat(body.response_format);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  const effort = body.reasoning_effort ?? body.reasoning?.effort;
  if (effort != null) request.reasoning = { effort: toReasoningEffort(effort) };

  collectOpenAIUnmappedFields(body, KNOWN_OPENAI_CHAT_FIELDS, request);
  return request;
}

function convertMessages(messages: OpenAIChatMessage[]): ChatMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, index) => {
    const param = `messages[${index}]`;
    const converted: ChatMessage = { role: message.role, parts: [] };
    if (message.name != null) converted.name = message.name;
    switch (message.role) {
      case 'assistant':
        converted.parts = convertAssistantParts(message, param, toolNames);
        break;
      case 'tool':
        converted.parts = [convertToolResult(message, param, toolNames)];
        break;
      default:
        if (message.content == null) {
          throw new GatewayError('invalid_request', `${param}.content: required for a ${message.role} message`, { param: `${param}.content` });
        }
        converted.parts = convertContent(message.content, param);
    }
    return converted;
  });
}

function convertContent(content: NonNullable<OpenAIChatMessage['content']>, param: string): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, index) => convertOpenAIContentPart(part, `${param}.content[${index}]`));
}

function convertAssistantParts(message: OpenAIChatMessage, param: string, toolNames: Map<string, string>): MessagePart[] {
  const parts: MessagePart[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (reasoning != null && reasoning.length > 0) parts.push({ type: 'reasoning', text: reasoning });
  if (message.content != null) parts.push(...convertContent(message.content, param));
  for (const call of message.tool_calls ?? []) {
    toolNames.set(call.id, call.function.name);
    parts.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: call.function.arguments || '{}' });
  }
  if (message.function_call != null) {
    // Legacy function calling has no call ids; the function's name stands in for one.
    const id = message.function_call.name;
    toolNames.set(id, message.function_call.name);
    parts.push({ type: 'tool-call', id, name: message.function_call.name, arguments: message.function_call.arguments || '{}' });
  }
  return parts;
}

function convertToolResult(message: OpenAIChatMessage, param: string, toolNames: Map<string, string>): MessagePart {
  if (message.tool_call_id == null) {
    throw new GatewayError('invalid_request', `${param}.tool_call_id: required for a tool message`, { param: `${param}.tool_call_id` });
  }
  let content = '';
  if (typeof message.content === 'string') content = message.content;
  else if (message.content != null) for (const part of message.content) if (part.type === 'text') content += part.text;
  const result: MessagePart = { type: 'tool-result', toolCallId: message.tool_call_id, content };
  const toolName = toolNames.get(message.tool_call_id) ?? message.name ?? undefined;
  if (toolName !== undefined) result.toolName = toolName;
  return result;
}

function convertTools(body: OpenAIChatRequest): ToolDefinition[] | undefined {
  const functions = [...(body.tools ?? []).map((tool) => tool.function), ...(body.functions ?? [])];
  if (functions.length === 0) return undefined;
  return functions.map((definition) => {
    const tool: ToolDefinition = { name: definition.name, parameters: definition.parameters ?? { type: 'object', properties: {} } };
    if (definition.description != null) tool.description = definition.description;
    if (definition.strict != null) tool.strict = definition.strict;
    return tool;
  });
}

function convertToolChoice(body: OpenAIChatRequest, tools: ToolDefinition[] | undefined): ToolChoice | undefined {
  const choice = body.tool_choice ?? body.function_call;
  if (choice == null) return undefined;
  if (typeof choice === 'string') return choice;
  const name = 'function' in choice ? choice.function.name : choice.name;
  const param = body.tool_choice != null ? 'tool_choice.function.name' : 'function_call.name';
  if (tools?.some((tool) => tool.name === name) !== true) {
    throw new GatewayError('invalid_request', `${param}: no tool named '${clipText(name, MAX_QUOTED_CHARS)}' is defined in tools`, { param });
  }
  return { name };
}

function convertResponseFormat(format: OpenAIChatRequest['response_format']): ResponseFormat | undefined {
  if (format == null) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const { schema, name, strict } = format.json_schema;
  if (schema == null) return { type: 'json' };
  const converted: ResponseFormat = { type: 'json-schema', schema };
  if (name != null) converted.name = name;
  if (strict != null) converted.strict = strict;
  return converted;
}

/** OpenAI's levels above `high` (`xhigh`, `max`) are the canonical `max`. */
function toReasoningEffort(effort: NonNullable<OpenAIChatRequest['reasoning_effort']>): ReasoningEffort {
  return effort === 'xhigh' ? 'max' : effort;
}
