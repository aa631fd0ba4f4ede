import { newAnthropicId } from './new-anthropic-id.ts';

/** The message id for the client: an Anthropic upstream's own, another upstream's prefixed, or a new one. */
export function anthropicMessageId(upstreamId: string | undefined): string {
  if (upstreamId === undefined || upstreamId.length === 0) return newAnthropicId('msg_');
  return upstreamId.startsWith('msg_') ? upstreamId : `msg_${upstreamId}`;
}
