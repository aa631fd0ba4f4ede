/**
 * Canonical chat messages: the one shape every inbound protocol converts to and every provider
 * converts from. Roles keep `developer` apart from `system` so providers that know the difference
 * can use it; the rest map it to `system`.
 */

import type { TokenLogprob } from './logprobs.ts';
import type { ProviderMetadata } from './provider-metadata.ts';

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** Where an image or file comes from: a URL (http(s) or data:) or inline base64 bytes. */
export type MediaSource =
  | { kind: 'url'; url: string }
  | { kind: 'base64'; mediaType: string; data: string };

export interface TextPart {
  type: 'text';
  text: string;
  /** Token log probabilities of a generated text, where they were asked for. */
  logprobs?: TokenLogprob[];
  /** Provider state on the text (Gemini may sign a text part). */
  metadata?: ProviderMetadata;
}

export interface ImagePart {
  type: 'image';
  source: MediaSource;
  /** OpenAI's `detail` hint, passed on where a provider understands it. */
  detail?: 'auto' | 'low' | 'high';
}

export interface FilePart {
  type: 'file';
  source: MediaSource;
  filename?: string;
}

/**
 * Model reasoning ("thinking"); sent back on later turns where a provider accepts it. `redacted`
 * reasoning has no readable text: its content is `metadata.encrypted` (Anthropic
 * `redacted_thinking`).
 */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  redacted?: boolean;
  /** The provider's signature or encrypted form of this reasoning, for replay. */
  metadata?: ProviderMetadata;
}

export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** Arguments as a JSON text, exactly as the model produced them. */
  arguments: string;
  /** Provider state on the call (Gemini's `thoughtSignature` travels with its `functionCall`). */
  metadata?: ProviderMetadata;
}

/**
 * What a structured tool result may hold, in the order the client gave it; a provider block there
 * is one only its provider takes (Anthropic `search_result`).
 */
export type ToolResultContentPart = TextPart | ImagePart | FilePart | ProviderBlockPart;

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** The tool's name where the client said it (Ollama `tool_name`) or it was resolved from earlier calls. */
  toolName?: string;
  /** The result's text; with `parts`, the text of its text parts joined by newlines. */
  content: string;
  /**
   * The result as blocks, where the client sent blocks (Anthropic `tool_result` content: text,
   * images, documents, in order). A provider that takes only text in tool results uses `content`
   * and must place the media elsewhere (declared) or refuse, never drop them.
   */
  parts?: ToolResultContentPart[];
  isError?: boolean;
}

/**
 * A block only one provider type understands, kept as that provider's wire JSON (Anthropic
 * `server_tool_use` and `web_search_tool_result` from its server-side tools). It goes back to that
 * provider type unchanged; a request holding one is refused for any other provider (the history
 * it records would be lost).
 */
export interface ProviderBlockPart {
  type: 'provider-block';
  /** The provider type whose wire format `block` is. */
  provider: string;
  block: { type: string; [key: string]: unknown };
}

export type MessagePart = TextPart | ImagePart | FilePart | ReasoningPart | ToolCallPart | ToolResultPart | ProviderBlockPart;

export interface ChatMessage {
  role: ChatRole;
  parts: MessagePart[];
  /** Participant name (OpenAI `name`). */
  name?: string;
}

/** A tool result's images and files, which providers that take only text in results must place or refuse. */
export function toolResultMedia(part: ToolResultPart): (ImagePart | FilePart)[] {
  return (part.parts ?? []).filter((inner): inner is ImagePart | FilePart => inner.type === 'image' || inner.type === 'file');
}

/** The text of a message's text parts, joined. */
export function messageText(message: ChatMessage): string {
  let text = '';
  for (const part of message.parts) if (part.type === 'text') text += part.text;
  return text;
}
