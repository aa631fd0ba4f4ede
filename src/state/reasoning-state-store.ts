import type { ReasoningPart } from '../canonical/chat-message.ts';
import type { ProviderMetadata } from '../canonical/provider-metadata.ts';

/**
 * Provider state of one assistant turn that a client's protocol cannot carry back: the signed or
 * encrypted reasoning that came before a tool call (Anthropic requires it back with the call), and
 * the call's own metadata (Gemini's thought signature). Replayed only to the provider type and
 * model that produced it.
 */
export interface ReplayState {
  providerType: string;
  model: string;
  /** Reasoning parts of the turn, in order, each with its metadata. */
  reasoning: ReasoningPart[];
  /** Metadata of the tool call itself, where the provider put some there. */
  toolCallMetadata?: ProviderMetadata;
}

/**
 * Where replay state is kept between turns: by tool-call id (what every chat protocol sends back)
 * and by response id (what the Responses API's `previous_response_id` names). The embedded
 * implementation is bounded in memory; a shared one (Redis) implements the same interface.
 */
export interface ReasoningStateStore {
  rememberToolCall(toolCallId: string, state: ReplayState): void;
  recallToolCall(toolCallId: string): ReplayState | undefined;
  rememberResponse(responseId: string, state: ReplayState): void;
  recallResponse(responseId: string): ReplayState | undefined;
  /** Whether anything is kept at all (so requests skip the look-up when nothing could match). */
  readonly isEmpty: boolean;
}
