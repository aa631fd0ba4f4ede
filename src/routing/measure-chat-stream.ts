import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError, toGatewayError } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { InputUsage } from '../canonical/usage.ts';
import type { AttemptHandle, RequestOutcomeRecorder } from '../observability/request-outcome-recorder.ts';
import { countChatUsage } from './count-chat-usage.ts';
import type { HeldStream } from './hold-until-output.ts';
import type { ReasoningStateRecorder } from './reasoning-state-recorder.ts';
import { StreamedText } from './streamed-text.ts';

/** Who is told about the stream: the request's outcome, the upstream attempt it came from, the reasoning-state store. */
export interface StreamReport {
  outcome?: RequestOutcomeRecorder;
  attempt?: AttemptHandle;
  /** Keeps the provider state in the stream that the client's protocol cannot carry back. */
  reasoningState?: ReasoningStateRecorder;
}

/**
 * Wraps a provider's stream so that what reaches inbound encoders always holds: exactly one
 * terminal event (a thrown error or a missing finish becomes an `error` event), and the finish
 * carries timing and usage — the upstream's where it reported them, otherwise measured here and
 * counted with a tokenizer. `startedAt` is when the upstream call began (performance.now()).
 * The outcome gets the usage either way: the final one, or — when the stream ended early (an
 * error, the client went away) — the prompt and what was streamed so far, which the upstream
 * generated and the client's key is charged for.
 */
export async function* measureChatStream(stream: HeldStream, request: ChatRequest, startedAt: number, report: StreamReport = {}): AsyncGenerator<ChatStreamEvent> {
  const iterator = stream.rest;
  let firstOutputAt = stream.firstOutputAt;
  const output = new StreamedText();
  let ended = false;
  let finished = false;
  let failure: GatewayError | undefined;
  let reportedInput: InputUsage | undefined;
  let position = 0;
  try {
    let next: IteratorResult<ChatStreamEvent> = position < stream.held.length ? { done: false, value: stream.held[position++] as ChatStreamEvent } : await iterator.next();
    while (!next.done) {
      const event = next.value;
      report.reasoningState?.observe(event);
      switch (event.type) {
        case 'text-delta':
        case 'reasoning-delta':
          firstOutputAt ??= performance.now();
          output.append(event.text);
          break;
        case 'tool-call-start':
          firstOutputAt ??= performance.now();
          output.append(event.name);
          break;
        case 'tool-call-delta':
          output.append(event.argumentsDelta);
          break;
        case 'provider-block-start':
          firstOutputAt ??= performance.now();
          break;
        case 'input-usage':
          reportedInput = event.input;
          break;
        case 'finish': {
          ended = true;
          finished = true;
          const finish = { ...event };
          if (finish.timing !== undefined) report.outcome?.setUpstreamTiming(finish.timing);
          finish.timing ??= measuredTiming(startedAt, firstOutputAt);
          finish.usage ??= await countChatUsage(request.messages, request.tools, output.toString());
          report.outcome?.setUsage(finish.usage);
          report.attempt?.succeed();
          yield finish;
          return;
        }
        case 'error':
          ended = true;
          failure = event.error;
          yield event;
          return;
        default:
          break;
      }
      yield event;
      next = position < stream.held.length ? { done: false, value: stream.held[position++] as ChatStreamEvent } : await iterator.next();
    }
    ended = true;
    failure = new GatewayError('upstream', 'the upstream stream ended before the response was complete');
    yield { type: 'error', error: failure };
  } catch (error) {
    if (!ended) {
      ended = true;
      failure = toGatewayError(error);
      yield { type: 'error', error: failure };
    }
  } finally {
    if (!ended) await iterator.return?.();
    if (!finished) await reportPartial(report, request, output.toString(), failure, reportedInput);
  }
}

/**
 * A stream that ended without its finish: what it streamed is counted (the prompt as the upstream
 * reported it early, where it did), and the attempt failed.
 */
async function reportPartial(report: StreamReport, request: ChatRequest, output: string, failure: GatewayError | undefined, reportedInput: InputUsage | undefined): Promise<void> {
  if (failure !== undefined) report.outcome?.noteError(failure);
  report.attempt?.fail(failure ?? new GatewayError('canceled', 'the client went away during the stream'));
  if (report.outcome === undefined) return;
  try {
    const counted = await countChatUsage(request.messages, request.tools, output);
    report.outcome.setUsage(reportedInput === undefined ? counted : { ...counted, input: reportedInput });
  } catch {
    // No tokenizer: the outcome then has no usage rather than a made-up one.
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
