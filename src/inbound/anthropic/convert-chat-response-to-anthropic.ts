import type { ProviderBlockPart } from '../../canonical/chat-message.ts';
import type { ChatResponse } from '../../canonical/chat-response.ts';
import type { InputUsage } from '../../canonical/usage.ts';
import { anthropicMessageId } from './anthropic-message-id.ts';
import { encodeAnthropicSignature } from './anthropic-signature.ts';
import { fileAsAnthropicText } from './file-as-anthropic-text.ts';
import { toAnthropicStopReason } from './to-anthropic-stop-reason.ts';
import { toAnthropicUsage, type AnthropicUsageBody } from './to-anthropic-usage.ts';

export type AnthropicResponseBlock =
  | { type: 'text'; text: string; citations?: Record<string, unknown>[] }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  /** Anthropic's server tool calls and results (server_tool_use, web_search_tool_result…), as the upstream sent them. */
  | ProviderBlockPart['block'];

export interface AnthropicMessageBody {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: string;
  stop_sequence: string | null;
  usage: AnthropicUsageBody;
}

/**
 * A canonical answer → the Messages API's `Message`, its blocks in the order the model produced
 * them. Tool arguments are parsed into `input`; text that is not JSON (a model that wrote broken
 * JSON) is kept as a string rather than dropped.
 */
export function convertChatResponseToAnthropic(response: ChatResponse, model: string, countedInput?: InputUsage): AnthropicMessageBody {
  const content: AnthropicResponseBlock[] = [];
  let calledTools = false;
  for (const part of response.parts) {
    switch (part.type) {
      case 'text':
        content.push(part.metadata?.citations === undefined ? { type: 'text', text: part.text } : { type: 'text', text: part.text, citations: part.metadata.citations });
        break;
      case 'reasoning':
        if (part.redacted === true) {
          const data = encodeAnthropicSignature(part.metadata, 'encrypted');
          if (data.length > 0) content.push({ type: 'redacted_thinking', data });
        } else content.push({ type: 'thinking', thinking: part.text, signature: encodeAnthropicSignature(part.metadata) });
        break;
      case 'tool-call':
        calledTools = true;
        content.push({ type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments) });
        break;
      case 'generated-file':
        content.push({ type: 'text', text: fileAsAnthropicText(part) });
        break;
      case 'provider-block':
        if (part.provider === 'anthropic') content.push(part.block);
        break;
    }
  }
  return {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: toAnthropicStopReason(response.finishReason, response.rawFinishReason, calledTools, response.stopSequence),
    stop_sequence: response.stopSequence ?? null,
    usage: toAnthropicUsage(response.usage?.input ?? countedInput, response.usage?.output.total ?? 0, response.usage?.serverToolRequests, response.serviceTier),
  };
}

/** Tool arguments as the object Anthropic's `input` is; empty arguments are `{}`. */
export function toolInput(text: string): unknown {
  if (text.trim().length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
