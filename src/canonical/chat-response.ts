import type { ProviderBlockPart, ReasoningPart, TextPart, ToolCallPart } from './chat-message.ts';
import type { DegradedField } from './degraded-field.ts';
import type { FinishReason } from './finish-reason.ts';
import type { TokenLogprob } from './logprobs.ts';
import type { ProviderMetadata } from './provider-metadata.ts';
import type { Timing } from './timing.ts';
import type { Usage } from './usage.ts';

/** A file or image the model produced, at a URL (Poe image bots). */
export interface GeneratedFilePart {
  type: 'generated-file';
  url: string;
  mediaType?: string;
  name?: string;
  metadata?: ProviderMetadata;
}

/** What an answer holds, in the order the model produced it. */
export type ResponsePart = TextPart | ReasoningPart | ToolCallPart | GeneratedFilePart | ProviderBlockPart;

/** A whole (non-streamed) answer: its parts in order, as a stream's blocks would have come. */
export interface ChatResponse {
  id?: string;
  /** The upstream model that answered. */
  model?: string;
  created?: number;
  /** The tier that served the request, where the upstream names one, in its own word (see ResponseStart.serviceTier). */
  serviceTier?: string;
  /** The upstream's backend configuration, where it names one (OpenAI-compatible `system_fingerprint`). */
  systemFingerprint?: string;
  parts: ResponsePart[];
  finishReason: FinishReason;
  rawFinishReason?: string;
  /** The stop sequence that ended the answer, where the upstream said which (Anthropic `stop_sequence`). */
  stopSequence?: string;
  usage?: Usage;
  timing?: Timing;
  /** Request fields the provider could not honour and dropped (x-llmux-degraded). */
  degraded?: DegradedField[];
}

/** The answer's text parts, joined. */
export function responseText(response: Pick<ChatResponse, 'parts'>): string {
  let text = '';
  for (const part of response.parts) if (part.type === 'text') text += part.text;
  return text;
}

/** The answer's readable reasoning, joined (redacted reasoning has none). */
export function responseReasoning(response: Pick<ChatResponse, 'parts'>): string {
  let text = '';
  for (const part of response.parts) if (part.type === 'reasoning') text += part.text;
  return text;
}

/** The token log probabilities of the answer's text, in order; undefined when none were returned. */
export function responseLogprobs(response: Pick<ChatResponse, 'parts'>): TokenLogprob[] | undefined {
  let tokens: TokenLogprob[] | undefined;
  for (const part of response.parts) if (part.type === 'text' && part.logprobs !== undefined) (tokens ??= []).push(...part.logprobs);
  return tokens;
}

export function responseToolCalls(response: Pick<ChatResponse, 'parts'>): ToolCallPart[] {
  return response.parts.filter((part): part is ToolCallPart => part.type === 'tool-call');
}

export function responseFiles(response: Pick<ChatResponse, 'parts'>): GeneratedFilePart[] {
  return response.parts.filter((part): part is GeneratedFilePart => part.type === 'generated-file');
}
