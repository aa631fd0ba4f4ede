import type { ChatMessage, ChatRole, MessagePart, ToolCallPart } from '../../canonical/chat-message.ts';
import type { ChatRequest } from '../../canonical/chat-request.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ToolDefinition } from '../../canonical/tool-definition.ts';
import { convertOllamaGenerationSettings } from './convert-ollama-generation-settings.ts';
import { decodeOllamaImage } from './decode-ollama-image.ts';
import type { OllamaChatRequest, OllamaMessage, OllamaTool } from './ollama-chat-request-schema.ts';
import { ollamaToolCallId } from './ollama-tool-call-id.ts';
import { quoteClientText } from '../../canonical/quote-client-text.ts';

const ROLES = new Set<ChatRole>(['system', 'developer', 'user', 'assistant', 'tool']);

/**
 * An /api/chat request → the canonical request for `model` (the served name it resolved to).
 * Tool calls in the history get ids where the client sent none (Ollama's own clients often don't),
 * and tool results are matched to them by `tool_call_id`, else by `tool_name`, else in order.
 */
export function convertOllamaChatRequest(body: OllamaChatRequest, model: string): ChatRequest {
  const request: ChatRequest = {
    model,
    messages: convertOllamaMessages(body.messages ?? []),
    stream: body.stream !== false,
    ...convertOllamaGenerationSettings(body),
  };
  const tools = body.tools ?? [];
  if (tools.length > 0) request.tools = tools.map(convertTool);
  return request;
}

function convertOllamaMessages(messages: OllamaMessage[]): ChatMessage[] {
  const unanswered: ToolCallPart[] = [];
  return messages.map((message, index) => convertMessage(message, index, unanswered));
}

function convertMessage(message: OllamaMessage, index: number, unanswered: ToolCallPart[]): ChatMessage {
  const role = message.role.toLowerCase();
  if (!ROLES.has(role as ChatRole)) {
    throw new GatewayError('invalid_request', `invalid role ${quoteClientText(message.role)} in messages[${index}]: expected system, user, assistant or tool`, {
      param: `messages[${index}].role`,
    });
  }
  const content = message.content ?? '';
  const parts: MessagePart[] = [];
  if (role === 'tool') {
    const call = takeAnsweredCall(unanswered, message.tool_call_id ?? undefined, message.tool_name ?? undefined);
    const result: MessagePart = { type: 'tool-result', toolCallId: message.tool_call_id ?? call?.id ?? ollamaToolCallId(), content };
    const toolName = message.tool_name ?? call?.name;
    if (toolName !== undefined && toolName !== '') result.toolName = toolName;
    parts.push(result);
  } else {
    if (role === 'assistant' && message.thinking) parts.push({ type: 'reasoning', text: message.thinking });
    if (content.length > 0) parts.push({ type: 'text', text: content });
  }
  (message.images ?? []).forEach((image, imageIndex) => {
    const part = decodeOllamaImage(image, `messages[${index}].images[${imageIndex}]`);
    if (part !== undefined) parts.push(part);
  });
  if (role === 'assistant') {
    unanswered.length = 0;
    (message.tool_calls ?? []).forEach((call, callIndex) => {
      const part: ToolCallPart = {
        type: 'tool-call',
        id: call.id ?? ollamaToolCallId(),
        name: call.function.name ?? '',
        arguments: argumentsText(call.function.arguments, `messages[${index}].tool_calls[${callIndex}].function.arguments`),
      };
      parts.push(part);
      unanswered.push(part);
    });
  }
  if (parts.length === 0) parts.push({ type: 'text', text: '' });
  return { role: role as ChatRole, parts };
}

function takeAnsweredCall(unanswered: ToolCallPart[], id: string | undefined, name: string | undefined): ToolCallPart | undefined {
  let at = id === undefined ? -1 : unanswered.findIndex((call) => call.id === id);
  if (at === -1 && name !== undefined) at = unanswered.findIndex((call) => call.name === name);
  if (at === -1 && id === undefined && name === undefined) at = 0;
  if (at === -1 || at >= unanswered.length) return undefined;
  return unanswered.splice(at, 1)[0];
}

/**
 * Native Ollama arguments are an object; a JSON string holding an object (the OpenAI form) is
 * accepted too. Anything else is refused: the upstream could not make sense of it either.
 */
function argumentsText(value: unknown, param: string): string {
  if (value === undefined || value === null) return '{}';
  if (typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return value;
    } catch {
      // refused below
    }
  }
  throw new GatewayError('invalid_request', `invalid tool call arguments in ${param}: expected a JSON object, got ${quoteClientText(value)}`, { param });
}

function convertTool(tool: OllamaTool): ToolDefinition {
  const definition: ToolDefinition = {
    name: tool.function.name,
    parameters: tool.function.parameters ?? { type: 'object', properties: {} },
  };
  if (tool.function.description) definition.description = tool.function.description;
  return definition;
}
