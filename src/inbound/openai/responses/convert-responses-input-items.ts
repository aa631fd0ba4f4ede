import type { ChatMessage, MessagePart, ReasoningPart } from '../../../canonical/chat-message.ts';
import { GatewayError } from '../../../canonical/gateway-error.ts';
import { mediaTypeFromFilename, parseMediaUrl } from '../convert-openai-content-part.ts';
import { decodeEncryptedContent } from './responses-encrypted-content.ts';
import type { ResponsesContentPart, ResponsesInputItem, ResponsesToolOutputPart } from './responses-input-item-schema.ts';

/** An input item and the name to give it in errors (`input[3]`, or the response it was replayed from). */
export interface LocatedInputItem {
  item: ResponsesInputItem;
  param: string;
}

/**
 * Responses input items → canonical messages. Consecutive assistant-side items (reasoning, an
 * assistant message, function calls) make one assistant turn, as a chat model saw them; a
 * `function_call_output` becomes a tool message and must answer a call made earlier in the
 * conversation.
 */
export function convertResponsesInputItems(items: readonly LocatedInputItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  // Made at the first function call: most inputs have none.
  let callNames: Map<string, string> | undefined;
  let assistant: ChatMessage | undefined;
  const assistantTurn = (): ChatMessage => {
    if (assistant === undefined) {
      assistant = { role: 'assistant', parts: [] };
      messages.push(assistant);
    }
    return assistant;
  };

  for (const { item, param } of items) {
    switch (item.type) {
      case 'message':
        if (item.role === 'assistant') {
          assistantTurn().parts.push(...convertContent(item.content, `${param}.content`));
        } else {
          assistant = undefined;
          messages.push({ role: item.role, parts: convertContent(item.content, `${param}.content`) });
        }
        break;
      case 'reasoning': {
        const text = [...item.summary.map((part) => part.text), ...(item.content ?? []).map((part) => part.text)].join('\n\n');
        const carried = item.encrypted_content == null ? undefined : decodeEncryptedContent(item.encrypted_content, item.id ?? undefined);
        if (text.length === 0 && carried === undefined) break;
        const part: ReasoningPart = { type: 'reasoning', text };
        if (carried !== undefined) {
          part.metadata = carried.metadata;
          if (carried.redacted) part.redacted = true;
        }
        assistantTurn().parts.push(part);
        break;
      }
      case 'function_call':
        (callNames ??= new Map()).set(item.call_id, item.name);
        assistantTurn().parts.push({ type: 'tool-call', id: item.call_id, name: item.name, arguments: item.arguments.length > 0 ? item.arguments : '{}' });
        break;
      case 'function_call_output': {
        const name = callNames?.get(item.call_id);
        if (name === undefined) {
          throw new GatewayError('invalid_request', `${param}.call_id: no function_call with call_id '${item.call_id}' comes before this function_call_output`, {
            param: `${param}.call_id`,
          });
        }
        assistant = undefined;
        messages.push({ role: 'tool', parts: [{ type: 'tool-result', toolCallId: item.call_id, toolName: name, content: toolOutputText(item.output, `${param}.output`) }] });
        break;
      }
      case 'item_reference':
        throw new GatewayError('invalid_request', `${param}: item_reference is not supported by llmux; send the item itself, or continue with previous_response_id`, {
          param: `${param}.type`,
        });
    }
  }
  return messages;
}

function convertContent(content: string | ResponsesContentPart[], param: string): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, index) => convertContentPart(part, `${param}[${index}]`));
}

function convertContentPart(part: ResponsesContentPart, param: string): MessagePart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'text', text: part.refusal };
    case 'input_image': {
      if (part.image_url == null || part.image_url.length === 0) {
        throw new GatewayError('invalid_request', `${param}.image_url: required; file_id refers to the OpenAI Files API, which llmux does not have`, {
          param: `${param}.image_url`,
        });
      }
      const image: MessagePart = { type: 'image', source: parseMediaUrl(part.image_url, `${param}.image_url`) };
      if (part.detail != null) image.detail = part.detail;
      return image;
    }
    case 'input_file': {
      const url = part.file_data ?? part.file_url;
      if (url == null || url.length === 0) {
        throw new GatewayError('invalid_request', `${param}.file_data: required (a data: URL or base64), or file_url; file_id refers to the OpenAI Files API, which llmux does not have`, {
          param: `${param}.file_data`,
        });
      }
      const source =
        url.startsWith('data:') || /^https?:\/\//i.test(url)
          ? parseMediaUrl(url, `${param}.file_data`)
          : ({ kind: 'base64', mediaType: mediaTypeFromFilename(part.filename) ?? 'application/octet-stream', data: url } as const);
      const file: MessagePart = { type: 'file', source };
      if (part.filename != null) file.filename = part.filename;
      return file;
    }
  }
}

/** A tool result's text; images and files in a tool result have no place in a chat model's tool message, so they are refused. */
function toolOutputText(output: string | ResponsesToolOutputPart[], param: string): string {
  if (typeof output === 'string') return output;
  let text = '';
  output.forEach((part, index) => {
    if (part.type !== 'input_text') {
      throw new GatewayError('invalid_request', `${param}[${index}]: ${part.type} in a function_call_output is not supported by llmux; send the tool's result as text`, {
        param: `${param}[${index}].type`,
      });
    }
    text += part.text;
  });
  return text;
}
