import type { ChatResponse } from '../../../canonical/chat-response.ts';
import type { ChatStreamEvent } from '../../../canonical/chat-stream-event.ts';

/** A whole answer as the events that would have streamed it, so one encoder builds both kinds of answer. */
export function chatResponseEvents(response: ChatResponse): ChatStreamEvent[] {
  const events: ChatStreamEvent[] = [{ type: 'response-start' }];
  if (response.reasoning.length > 0) events.push({ type: 'reasoning-start' }, { type: 'reasoning-delta', text: response.reasoning }, { type: 'reasoning-end' });
  if (response.text.length > 0) events.push({ type: 'text-start' }, { type: 'text-delta', text: response.text });
  for (const file of response.files) events.push(file.mediaType === undefined ? { type: 'file', url: file.url } : { type: 'file', url: file.url, mediaType: file.mediaType });
  if (response.text.length > 0 || response.files.length > 0) events.push({ type: 'text-end' });
  response.toolCalls.forEach((call, index) => {
    events.push({ type: 'tool-call-start', index, id: call.id, name: call.name }, { type: 'tool-call-delta', index, argumentsDelta: call.arguments }, { type: 'tool-call-end', index });
  });
  const finish: ChatStreamEvent = { type: 'finish', finishReason: response.finishReason };
  if (response.usage !== undefined) finish.usage = response.usage;
  events.push(finish);
  return events;
}
