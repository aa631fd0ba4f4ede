import type { ChatResponse } from '../../../canonical/chat-response.ts';
import type { ProviderMetadata } from '../../../canonical/provider-metadata.ts';
import type { JsonObject } from '../../../state/response-store.ts';
import { fileAsMarkdown } from '../file-as-markdown.ts';
import { newOpenAIId } from '../new-openai-id.ts';
import { encodeEncryptedContent } from './responses-encrypted-content.ts';
import { finishedServiceTier, toResponsesUsage } from './responses-envelope.ts';
import type { ResponsesStreamOptions } from './responses-stream-encoder.ts';
import { toResponsesLogprobs, type ResponsesLogprob } from './to-responses-logprobs.ts';

type Item =
  | { kind: 'message'; id: string; text: string; logprobs: ResponsesLogprob[] }
  | { kind: 'reasoning'; id: string; text: string; redacted: boolean; metadata?: ProviderMetadata }
  | { kind: 'function_call'; id: string; callId: string; name: string; arguments: string };

/**
 * A whole (non-streamed) answer → the Response object, built directly: the same output items,
 * ids drawn in the same order and statuses as ResponsesStreamEncoder gives the stream of that
 * answer (replayChatResponse), without writing the events a non-streamed request never sends.
 * Parts follow one another as blocks do in a stream: consecutive text parts make one message,
 * consecutive reasoning parts one reasoning item, every tool call its own item; a file the model
 * produced is Markdown in a message of its own (files in a row share it).
 */
export function convertChatResponseToResponses(response: ChatResponse, envelope: JsonObject, options: ResponsesStreamOptions): JsonObject {
  const newId = options.newId ?? newOpenAIId;
  const output: JsonObject[] = [];
  /** The output item being filled. */
  let item: Item | undefined;
  /** The kind of part whose block is open (a file's message has none: it stays open past its block). */
  let block: 'text' | 'reasoning' | 'tool-call' | undefined;
  /** Reasoning metadata waiting for the reasoning block's end. */
  let pending: ProviderMetadata | undefined;

  const closeItem = (status: 'completed' | 'incomplete'): void => {
    if (item === undefined) return;
    output.push(finishedItem(item, status, options.reasoningAsSummary));
    item = undefined;
  };
  const closeBlock = (): void => {
    if (block === undefined) return;
    if (block === 'reasoning' && pending !== undefined && item?.kind === 'reasoning') item.metadata = pending;
    pending = undefined;
    block = undefined;
    closeItem('completed');
  };
  const message = (): Extract<Item, { kind: 'message' }> => {
    if (item?.kind === 'message') return item;
    closeItem('completed');
    const opened: Item = { kind: 'message', id: newId('msg_'), text: '', logprobs: [] };
    item = opened;
    return opened;
  };
  const reasoning = (redacted: boolean): Extract<Item, { kind: 'reasoning' }> => {
    closeItem('completed');
    const opened: Item = { kind: 'reasoning', id: newId('rs_'), text: '', redacted };
    item = opened;
    return opened;
  };

  for (const part of response.parts) {
    switch (part.type) {
      case 'text': {
        if (part.text.length === 0) break;
        if (block !== 'text') {
          closeBlock();
          block = 'text';
          closeItem('completed');
        }
        const open = message();
        open.text += part.text;
        if (part.logprobs !== undefined && part.logprobs.length > 0) open.logprobs.push(...toResponsesLogprobs(part.logprobs));
        break;
      }
      case 'reasoning':
        if (part.redacted === true && part.metadata !== undefined) {
          closeBlock();
          reasoning(true).metadata = part.metadata;
          closeItem('completed');
          break;
        }
        if (part.text.length > 0) {
          if (block !== 'reasoning' || item?.kind !== 'reasoning') {
            closeBlock();
            block = 'reasoning';
            reasoning(false);
          }
          (item as Extract<Item, { kind: 'reasoning' }>).text += part.text;
        }
        if (part.metadata !== undefined && block === 'reasoning') pending = { ...pending, ...part.metadata };
        break;
      case 'tool-call':
        closeBlock();
        block = 'tool-call';
        closeItem('completed');
        item = { kind: 'function_call', id: newId('fc_'), callId: part.id, name: part.name, arguments: part.arguments };
        break;
      case 'generated-file': {
        closeBlock();
        const separator = item?.kind === 'message' && item.text.length > 0 ? '\n\n' : '';
        message().text += separator + fileAsMarkdown(part);
        break;
      }
      case 'provider-block':
        // As in the stream: it ends the open block, and the Responses API has no item for it.
        closeBlock();
        break;
      default:
        // A new kind of part must be given its place here, as the stream encoder gives its events one.
        part satisfies never;
    }
  }
  closeBlock();
  const incomplete = response.finishReason === 'length' || response.finishReason === 'content-filter';
  closeItem(incomplete ? 'incomplete' : 'completed');
  const final: JsonObject = { ...envelope, status: incomplete ? 'incomplete' : 'completed', output };
  final['usage'] = toResponsesUsage(response.usage);
  final['service_tier'] = finishedServiceTier(response.serviceTier);
  if (incomplete) final['incomplete_details'] = { reason: response.finishReason === 'length' ? 'max_output_tokens' : 'content_filter' };
  return final;
}

function finishedItem(item: Item, status: 'completed' | 'incomplete', reasoningAsSummary: boolean): JsonObject {
  switch (item.kind) {
    case 'message':
      return { id: item.id, type: 'message', status, content: [{ type: 'output_text', annotations: [], logprobs: item.logprobs, text: item.text }], role: 'assistant' };
    case 'reasoning': {
      const done: JsonObject = { id: item.id, type: 'reasoning', summary: [] };
      if (!item.redacted) {
        if (reasoningAsSummary) done['summary'] = [{ type: 'summary_text', text: item.text }];
        else done['content'] = [{ type: 'reasoning_text', text: item.text }];
      }
      if (item.metadata !== undefined) done['encrypted_content'] = encodeEncryptedContent(item.metadata, item.redacted);
      return done;
    }
    case 'function_call':
      return { id: item.id, type: 'function_call', status, arguments: item.arguments.length > 0 ? item.arguments : '{}', call_id: item.callId, name: item.name };
  }
}
