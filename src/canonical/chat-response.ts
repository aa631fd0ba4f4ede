import type { FinishReason } from './finish-reason.ts';
import type { Timing } from './timing.ts';
import type { Usage } from './usage.ts';

export interface ResponseToolCall {
  id: string;
  name: string;
  /** JSON text. */
  arguments: string;
}

export interface ResponseFile {
  url: string;
  mediaType?: string;
  name?: string;
}

/** A whole (non-streamed) answer. */
export interface ChatResponse {
  id?: string;
  /** The upstream model that answered. */
  model?: string;
  created?: number;
  text: string;
  reasoning: string;
  reasoningSignature?: string;
  toolCalls: ResponseToolCall[];
  files: ResponseFile[];
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage?: Usage;
  timing?: Timing;
}
