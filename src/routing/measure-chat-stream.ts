import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError, toGatewayError } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { Usage } from '../canonical/usage.ts';
import { countChatUsage } from './count-chat-usage.ts';
import type { HeldStream } from './hold-until-output.ts';
import type { ReasoningStateRecorder } from './reasoning-state-recorder.ts';

/**
 * Wraps a provider's stream so that what reaches inbound encoders always holds: exactly one
 * terminal event (a thrown error or a missing finish becomes an `error` event), and the finish
 * carries timing and usage — the upstream's where it reported them, otherwise measured here and
 * counted with a tokenizer. `startedAt` is when the upstream call began (performance.now()).
 */
export async function* measureChatStream(
  stream: HeldStream,
  request: ChatRequest,
  startedAt: number,
  onUsage?: (usage: Usage) => void,
  recorder?: ReasoningStateRecorder,
): AsyncGenerator<ChatStreamEvent> {
  const iterator = stream.rest;
  let firstOutputAt = stream.firstOutputAt;
  let output = '';
  let ended = false;
  let position = 0;
  try {
    let next: IteratorResult<ChatStreamEvent> = position < stream.held.length ? { done: false, value: stream.held[position++] as ChatStreamEvent } : await iterator.next();
    while (!next.done) {
      const event = next.value;
      recorder?.observe(event);
      switch (event.type) {
        case 'text-delta':
        case 'reasoning-delta':
          firstOutputAt ??= performance.now();
          output += event.text;
          break;
        case 'tool-call-start':
          firstOutputAt ??= performance.now();
          output += event.name;
          break;
        case 'tool-call-delta':
          output += event.argumentsDelta;
          break;
        case 'finish': {
          ended = true;
          const finish = { ...event };
          finish.timing ??= measuredTiming(startedAt, firstOutputAt);
          finish.usage ??= await countChatUsage(request.messages, request.tools, output);
          onUsage?.(finish.usage);
          yield finish;
          return;
        }
        case 'error':
          ended = true;
          yield event;
          return;
        default:
          break;
      }
      yield event;
      next = position < stream.held.length ? { done: false, value: stream.held[position++] as ChatStreamEvent } : await iterator.next();
    }
    ended = true;
    yield { type: 'error', error: new GatewayError('upstream', 'the upstream stream ended before the response was complete') };
  } catch (error) {
    if (!ended) {
      ended = true;
      yield { type: 'error', error: toGatewayError(error) };
    }
  } finally {
    if (!ended) await iterator.return?.();
  }
}

/**
 * Timing measured around the upstream call. Without a first-output time (a non-streamed answer)
 * the split between reading the prompt and generating is unknown, so it is all counted as
 * generation: rates computed from it are then a lower bound, never an invention.
 */
export function measuredTiming(startedAt: number, firstOutputAt: number | undefined): Timing {
  const now = performance.now();
  const totalMs = now - startedAt;
  const promptMs = firstOutputAt === undefined ? 0 : firstOutputAt - startedAt;
  return { queueMs: 0, promptMs, completionMs: totalMs - promptMs, totalMs, source: 'measured' };
}

