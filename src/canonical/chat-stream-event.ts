import type { FinishReason } from './finish-reason.ts';
import type { GatewayError } from './gateway-error.ts';
import type { Timing } from './timing.ts';
import type { Usage } from './usage.ts';

/**
 * The canonical stream. Text and reasoning come as start/delta/end blocks (one block of a kind
 * open at a time); tool calls are correlated by `index`. Every stream ends with exactly one
 * `finish` or `error` event, and nothing after it.
 */
export type ChatStreamEvent =
  | { type: 'response-start'; id?: string; model?: string; created?: number }
  | { type: 'text-start' }
  | { type: 'text-delta'; text: string }
  | { type: 'text-end' }
  | { type: 'reasoning-start' }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'reasoning-end'; signature?: string }
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'tool-call-end'; index: number }
  /** A file or image the model produced (Poe `file` events, image bots). */
  | { type: 'file'; url: string; mediaType?: string; name?: string }
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason?: string; usage?: Usage; timing?: Timing }
  | { type: 'error'; error: GatewayError };

export type ChatStreamEventType = ChatStreamEvent['type'];
