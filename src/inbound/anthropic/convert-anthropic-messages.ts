import type { ChatMessage, FilePart, ImagePart, MessagePart, ProviderBlockPart, TextPart, ToolResultContentPart, ToolResultPart } from '../../canonical/chat-message.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { AnthropicContentBlock, AnthropicMessage } from './anthropic-messages-request-schema.ts';
import { decodeAnthropicSignature } from './anthropic-signature.ts';

/** Where a `cache_control` breakpoint sits in the canonical request, for an Anthropic upstream to put back. */
export interface CacheBreakpoint {
  /** Canonical message index and part index (system blocks are parts of message 0), or a tool index. */
  message?: number;
  part?: number;
  /** The block inside a tool result's content. */
  block?: number;
  tool?: number;
  cacheControl: Record<string, unknown>;
}

/** A document's own fields (`citations`, `context`) at a canonical position, for an Anthropic upstream to put back. */
export interface DocumentFields {
  message: number;
  part: number;
  /** The block inside a tool result's content. */
  block?: number;
  fields: Record<string, unknown>;
  /** Their wire paths, also in `anthropicOnly`. */
  paths: string[];
}

export interface ConvertedMessages {
  messages: ChatMessage[];
  breakpoints: CacheBreakpoint[];
  documentFields: DocumentFields[];
  /** Wire paths of every `cache_control`, for declaring it where the upstream cannot cache. */
  cachePaths: string[];
  /** Block features kept only by an Anthropic upstream (a document's citations and context), by wire path. */
  anthropicOnly: string[];
}

function refuse(where: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${where}: ${message}`, { param: where, code: 'invalid_request_body' });
}

/**
 * Anthropic messages → canonical messages. A user turn's `tool_result` blocks become `tool`
 * messages (in order, before the rest of the turn's content), their block content (text, images,
 * documents, each block's `cache_control`) kept as the result's parts; thinking blocks keep their
 * signature (or the provider state llmux encoded in it); every `tool_result` must answer a
 * `tool_use` from an earlier assistant turn. Blocks of Anthropic's server tools
 * (`server_tool_use`, `web_search_tool_result`…) are kept whole for an Anthropic upstream.
 */
export function convertAnthropicMessages(system: string | { text: string; cache_control?: unknown }[] | null | undefined, input: AnthropicMessage[]): ConvertedMessages {
  const out: ConvertedMessages = { messages: [], breakpoints: [], documentFields: [], cachePaths: [], anthropicOnly: [] };
  const mark = (value: unknown, where: string, position: Omit<CacheBreakpoint, 'cacheControl'>) => {
    if (value === undefined || value === null || typeof value !== 'object') return;
    out.breakpoints.push({ ...position, cacheControl: value as Record<string, unknown> });
    out.cachePaths.push(where);
  };

  if (typeof system === 'string') {
    if (system.length > 0) out.messages.push({ role: 'system', parts: [{ type: 'text', text: system }] });
  } else if (system !== undefined && system !== null && system.length > 0) {
    const index = out.messages.length;
    out.messages.push({ role: 'system', parts: system.map((block) => ({ type: 'text', text: block.text })) });
    system.forEach((block, part) => mark(block.cache_control, `system[${part}]`, { message: index, part }));
  }

  const toolNames = new Map<string, string>();
  input.forEach((message, messageIndex) => {
    if (typeof message.content === 'string') {
      out.messages.push({ role: message.role, parts: [{ type: 'text', text: message.content }] });
      return;
    }
    const where = `messages[${messageIndex}]`;
    if (message.role === 'assistant') {
      const index = out.messages.length;
      const parts: MessagePart[] = [];
      message.content.forEach((block, blockIndex) => {
        const at = `${where}.content[${blockIndex}]`;
        const part = assistantPart(block, at, toolNames);
        mark((block as { cache_control?: unknown }).cache_control, at, { message: index, part: parts.length });
        parts.push(part);
      });
      out.messages.push({ role: 'assistant', parts });
      return;
    }
    convertUserTurn(message.content, where, toolNames, out, mark);
  });
  return out;
}

function assistantPart(block: AnthropicContentBlock, at: string, toolNames: Map<string, string>): MessagePart {
  switch (block.type) {
    case 'text': {
      const citations = (block.citations ?? []).filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null);
      return citations.length === 0 ? { type: 'text', text: block.text } : { type: 'text', text: block.text, metadata: { provider: 'anthropic', citations } };
    }
    case 'thinking': {
      const metadata = block.signature === undefined || block.signature === null ? undefined : decodeAnthropicSignature(block.signature);
      return metadata === undefined ? { type: 'reasoning', text: block.thinking } : { type: 'reasoning', text: block.thinking, metadata };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redacted: true, metadata: decodeAnthropicSignature(block.data, 'encrypted') };
    case 'tool_use':
      toolNames.set(block.id, block.name);
      return { type: 'tool-call', id: block.id, name: block.name, arguments: JSON.stringify(block.input) };
    case 'tool_result':
      throw refuse(at, 'a tool_result block belongs in a user message');
    case 'image':
    case 'document':
      throw refuse(at, `${block.type} blocks are only allowed in user messages`);
    default:
      return serverBlock(block);
  }
}

/** A block of Anthropic's server-side tools, whole: only an Anthropic upstream takes it (others refuse it). */
function serverBlock(block: AnthropicContentBlock): ProviderBlockPart {
  return { type: 'provider-block', provider: 'anthropic', block: { ...block } };
}

type Mark = (value: unknown, where: string, position: Omit<CacheBreakpoint, 'cacheControl'>) => void;

function convertUserTurn(blocks: AnthropicContentBlock[], where: string, toolNames: Map<string, string>, out: ConvertedMessages, mark: Mark): void {
  let pending: { message: ChatMessage; index: number } | undefined;
  const userMessage = () => {
    if (pending === undefined) {
      pending = { message: { role: 'user', parts: [] }, index: -1 };
    }
    return pending;
  };
  const flush = () => {
    if (pending === undefined || pending.message.parts.length === 0) return;
    pending.index = out.messages.length;
    out.messages.push(pending.message);
    for (const late of lateMarks.splice(0)) mark(late.value, late.where, { message: pending.index, part: late.part });
    for (const late of lateFields.splice(0)) out.documentFields.push({ ...late, message: pending.index });
    pending = undefined;
  };
  const lateMarks: { value: unknown; where: string; part: number }[] = [];
  const lateFields: Omit<DocumentFields, 'message'>[] = [];

  blocks.forEach((block, blockIndex) => {
    const at = `${where}.content[${blockIndex}]`;
    if (block.type === 'tool_result') {
      flush();
      const name = toolNames.get(block.tool_use_id);
      if (name === undefined) throw refuse(`${at}.tool_use_id`, `no tool_use with id '${block.tool_use_id}' in an earlier assistant message`);
      const index = out.messages.length;
      const result: ToolResultPart = { type: 'tool-result', toolCallId: block.tool_use_id, toolName: name, content: '' };
      if (typeof block.content === 'string') result.content = block.content;
      else if (block.content !== undefined) {
        result.parts = toolResultParts(block.content, at, out, (value, where, inner) => mark(value, where, { message: index, part: 0, block: inner }), (extras, inner) =>
          out.documentFields.push({ ...extras, message: index, part: 0, block: inner }),
        );
        result.content = result.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
      }
      if (block.is_error === true) result.isError = true;
      out.messages.push({ role: 'tool', parts: [result] });
      mark(block.cache_control, at, { message: index, part: 0 });
      return;
    }
    const target = userMessage().message;
    const parts = userPart(block, at, out);
    const extras = block.type === 'document' ? documentExtras(block, at, out) : undefined;
    if (extras !== undefined && parts.length === 1) lateFields.push({ ...extras, part: target.parts.length });
    const cacheControl = (block as { cache_control?: unknown }).cache_control;
    if (cacheControl !== undefined && cacheControl !== null) lateMarks.push({ value: cacheControl, where: at, part: target.parts.length + parts.length - 1 });
    target.parts.push(...parts);
  });
  flush();
}

function userPart(block: AnthropicContentBlock, at: string, out: ConvertedMessages): MessagePart[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: block.text }];
    case 'image':
      return [imagePart(block.source, at)];
    case 'document':
      return documentParts(block, at);
    case 'tool_use':
    case 'thinking':
    case 'redacted_thinking':
      throw refuse(at, `${block.type} blocks are only allowed in assistant messages`);
    case 'tool_result':
      throw refuse(at, 'unexpected tool_result');
    default:
      return [serverBlock(block)];
  }
}

/**
 * A document's `citations` and `context`, which only an Anthropic upstream reads: listed for the
 * others to declare, and returned for an Anthropic upstream to get back on the block.
 */
function documentExtras(block: Extract<AnthropicContentBlock, { type: 'document' }>, at: string, out: ConvertedMessages): Omit<DocumentFields, 'message' | 'part' | 'block'> | undefined {
  const fields: Record<string, unknown> = {};
  if (block.citations !== undefined && block.citations !== null) fields.citations = block.citations;
  if (block.context !== undefined && block.context !== null) fields.context = block.context;
  const paths = Object.keys(fields).map((field) => `${at}.${field}`);
  if (paths.length === 0) return undefined;
  out.anthropicOnly.push(...paths);
  return { fields, paths };
}

function imagePart(source: { type: string; [key: string]: unknown }, at: string): ImagePart {
  if (source.type === 'base64') return { type: 'image', source: { kind: 'base64', mediaType: String(source.media_type), data: String(source.data) } };
  if (source.type === 'url') return { type: 'image', source: { kind: 'url', url: String(source.url) } };
  throw refuse(`${at}.source`, "images from Anthropic's Files API (source type 'file') cannot be fetched by llmux; send them as base64 or url");
}

function documentParts(block: Extract<AnthropicContentBlock, { type: 'document' }>, at: string): MessagePart[] {
  const source = block.source;
  const filename = block.title ?? undefined;
  const file = (part: FilePart): FilePart => (filename === undefined ? part : { ...part, filename });
  switch (source.type) {
    case 'base64':
      return [file({ type: 'file', source: { kind: 'base64', mediaType: source.media_type, data: source.data } })];
    case 'text':
      return [file({ type: 'file', source: { kind: 'base64', mediaType: source.media_type ?? 'text/plain', data: Buffer.from(source.data, 'utf8').toString('base64') } })];
    case 'url':
      return [file({ type: 'file', source: { kind: 'url', url: source.url } })];
    case 'content': {
      if (typeof source.content === 'string') return [{ type: 'text', text: source.content }];
      return source.content.map((inner, index) => {
        const item = inner as { type?: unknown; text?: unknown; source?: unknown };
        if (item.type === 'text' && typeof item.text === 'string') return { type: 'text', text: item.text } satisfies TextPart;
        if (item.type === 'image' && typeof item.source === 'object' && item.source !== null) return imagePart(item.source as { type: string }, `${at}.source.content[${index}]`);
        throw refuse(`${at}.source.content[${index}]`, 'expected a text or image block');
      });
    }
    default:
      throw refuse(`${at}.source`, "documents from Anthropic's Files API (source type 'file') cannot be fetched by llmux; send them as base64, text or url");
  }
}

/** A tool result's blocks in order: text, images and documents (each with its own `cache_control`). */
function toolResultParts(
  content: { type: string; [key: string]: unknown }[],
  at: string,
  out: ConvertedMessages,
  markInner: (value: unknown, where: string, block: number) => void,
  placeFields: (extras: Omit<DocumentFields, 'message' | 'part' | 'block'>, block: number) => void,
): ToolResultContentPart[] {
  const parts: ToolResultContentPart[] = [];
  content.forEach((block, index) => {
    const where = `${at}.content[${index}]`;
    const before = parts.length;
    if (block.type === 'text' && typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image' && typeof block.source === 'object' && block.source !== null) parts.push(imagePart(block.source as { type: string }, where));
    else if (block.type === 'document' && typeof block.source === 'object' && block.source !== null) {
      const document = block as Extract<AnthropicContentBlock, { type: 'document' }>;
      for (const part of documentParts(document, where)) {
        if (part.type === 'text' || part.type === 'image' || part.type === 'file') parts.push(part);
      }
      const extras = documentExtras(document, where, out);
      if (extras !== undefined && parts.length === before + 1) placeFields(extras, before);
    } else if (block.type === 'search_result') parts.push({ type: 'provider-block', provider: 'anthropic', block: { ...block } });
    else throw refuse(where, `'${block.type}' blocks in a tool result cannot be passed on; send text, image, document or search_result blocks`);
    if (parts.length === before + 1) markInner(block.cache_control, where, before);
  });
  return parts;
}
