import { toolResultMedia, type ChatMessage, type MediaSource, type MessagePart, type ToolResultPart } from '../../canonical/chat-message.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { GeminiContent, GeminiRequestPart } from './gemini-request-body.ts';

/**
 * Google's documented stand-in for a function call whose signature is lost (history from another
 * model or a client that cannot carry it): https://ai.google.dev/gemini-api/docs/thought-signatures.
 */
export const SKIP_SIGNATURE_VALIDATOR = 'skip_thought_signature_validator';

export interface GeminiMessagesConversion {
  contents: GeminiContent[];
  system: GeminiRequestPart[];
}

export interface GeminiMessageContext {
  providerId: string;
  /** Gemini 3 refuses a function call of the current turn without a signature. */
  requiresSignatures: boolean;
  /** Signatures llmux kept from earlier answers, by tool-call id, for clients that cannot send them back. */
  rememberedSignature: (call: { id: string; name: string; arguments: string }) => string | undefined;
  degraded: DegradedField[];
}

/**
 * Canonical messages → Gemini `contents` and `systemInstruction`: system and developer text as the
 * instruction; assistant turns as `model` with thought parts, text and `functionCall`s carrying
 * their `thoughtSignature`s; tool results as `functionResponse` parts (with the tool's name,
 * resolved from the earlier call when the client did not say it) in one `user` turn per round.
 */
export function convertChatMessagesToGemini(messages: readonly ChatMessage[], context: GeminiMessageContext): GeminiMessagesConversion {
  const system: GeminiRequestPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const toolIds = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      for (const part of message.parts) if (part.type === 'text') system.push({ text: part.text });
      continue;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts: GeminiRequestPart[] = [];
    let signedFirstCall = false;
    for (const part of message.parts) {
      const converted = convertPart(part, role, context, { toolNames, toolIds });
      if (converted === undefined) continue;
      if (converted.functionCall !== undefined && !signedFirstCall) {
        signedFirstCall = true;
        if (converted.thoughtSignature === undefined && context.requiresSignatures) {
          converted.thoughtSignature = SKIP_SIGNATURE_VALIDATOR;
          context.degraded.push({ field: 'thought_signature', reason: `the call to '${converted.functionCall.name}' came back without Gemini's thought signature; sent with Google's stand-in` });
        }
      }
      parts.push(converted);
      if (part.type === 'tool-result') parts.push(...resultMedia(part, context));
    }
    if (parts.length === 0) continue;
    const last = contents.at(-1);
    // Gemini wants the responses to one round of parallel calls in one turn; consecutive turns of a role are one.
    if (last !== undefined && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  return { contents, system };
}

function convertPart(
  part: MessagePart,
  role: 'user' | 'model',
  context: GeminiMessageContext,
  calls: { toolNames: Map<string, string>; toolIds: Map<string, string> },
): GeminiRequestPart | undefined {
  switch (part.type) {
    case 'text': {
      const out: GeminiRequestPart = { text: part.text };
      const signature = geminiSignature(part.metadata);
      if (signature !== undefined && role === 'model') out.thoughtSignature = signature;
      return part.text === '' && out.thoughtSignature === undefined ? undefined : out;
    }
    case 'reasoning': {
      // Gemini reads nothing from unsigned thought text (another provider's reasoning): only signed thoughts go back.
      const signature = geminiSignature(part.metadata);
      if (signature === undefined || role !== 'model') return undefined;
      return { text: part.text, thought: true, thoughtSignature: signature };
    }
    case 'image':
      return media(part.source, context.providerId);
    case 'file':
      return media(part.source, context.providerId);
    case 'tool-call': {
      calls.toolNames.set(part.id, part.name);
      const call: NonNullable<GeminiRequestPart['functionCall']> = { name: part.name, args: argumentsObject(part.arguments, part.name) };
      const ownId = part.metadata?.provider === 'gemini' ? part.metadata.itemId : undefined;
      if (ownId !== undefined) {
        call.id = ownId;
        calls.toolIds.set(part.id, ownId);
      }
      const out: GeminiRequestPart = { functionCall: call };
      const signature = geminiSignature(part.metadata) ?? context.rememberedSignature(part);
      if (signature !== undefined) out.thoughtSignature = signature;
      return out;
    }
    case 'tool-result': {
      const name = part.toolName ?? calls.toolNames.get(part.toolCallId);
      if (name === undefined) {
        throw new GatewayError('invalid_request', `the tool result for call '${part.toolCallId}' names no tool and follows no call with that id; Gemini needs the tool's name (provider '${context.providerId}')`, {
          param: 'tool_call_id',
        });
      }
      const response: NonNullable<GeminiRequestPart['functionResponse']> = { name, response: responseObject(part.content, part.isError === true) };
      const id = calls.toolIds.get(part.toolCallId);
      if (id !== undefined) response.id = id;
      return { functionResponse: response };
    }
  }
}

/** A tool result's images and files, as parts of the same turn right after its `functionResponse` (declared: they are beside the response, not in it). */
function resultMedia(part: ToolResultPart, context: GeminiMessageContext): GeminiRequestPart[] {
  const items = toolResultMedia(part);
  if (items.length === 0) return [];
  context.degraded.push({
    field: 'messages',
    reason: `${items.length} image(s) or file(s) of tool result ${part.toolCallId} sent beside its functionResponse in the same turn (provider '${context.providerId}')`,
  });
  return items.map((item) => media(item.source, context.providerId));
}

function geminiSignature(metadata: { provider: string; signature?: string } | undefined): string | undefined {
  return metadata?.provider === 'gemini' ? metadata.signature : undefined;
}

/** Inline bytes as `inlineData`; an http(s) URL as `fileData` (Gemini fetches it), with its type when the name says it. */
function media(source: MediaSource, providerId: string): GeminiRequestPart {
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const data = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(source.url);
  if (data !== null) return { inlineData: { mimeType: data[1] as string, data: data[2] as string } };
  if (!/^https?:\/\//i.test(source.url)) {
    throw new GatewayError('invalid_request', `a media URL must be http(s) or data: for provider '${providerId}' (Gemini)`, { param: 'messages.content' });
  }
  const mimeType = mimeTypeFromUrl(source.url);
  return { fileData: mimeType === undefined ? { fileUri: source.url } : { mimeType, fileUri: source.url } };
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  txt: 'text/plain',
};

function mimeTypeFromUrl(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : MIME_BY_EXTENSION[extension];
}

function argumentsObject(text: string, name: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new GatewayError('invalid_request', `the arguments of the earlier call to tool '${name}' are not a JSON object; Gemini needs an object`, { param: 'messages.tool_calls.function.arguments' });
}

/** A tool's output as Gemini's `response` Struct: a JSON object as it is, anything else under `result` (or `error`). */
function responseObject(content: string, isError: boolean): Record<string, unknown> {
  if (isError) return { error: content };
  try {
    const value: unknown = JSON.parse(content);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // plain text
  }
  return { result: content };
}
