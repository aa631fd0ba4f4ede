import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';

/**
 * Whether the upstream reports the prompt's usage (`input-usage`) before the first output, read from
 * the events routing held until that output (MeasuredChatStream.held). When it does,
 * `message_start` carries the upstream's figure and llmux need not count.
 */
export function peekInputUsage(held: readonly ChatStreamEvent[]): boolean {
  for (const event of held) {
    if (event.type === 'input-usage') return true;
    if (event.type !== 'response-start') return false;
  }
  return false;
}
