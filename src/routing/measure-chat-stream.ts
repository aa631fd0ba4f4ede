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
 * generated and the client's key is charged for. Batches pass through whole (the held events
 * first, as one), cut after the terminal event.
 */
export async function* measureChatStream(stream: HeldStream, request: ChatRequest, startedAt: number, report: StreamReport = {}): AsyncGenerator<ChatStreamEvent[]> {
  const iterator = stream.rest;
  const state: MeasureState = { firstOutputAt: stream.firstOutputAt, output: new StreamedText(), reportedInput: undefined };
  let ended = false;
  let finished = false;
  let failure: GatewayError | undefined;
  try {
    let batch: ChatStreamEvent[] | undefined = stream.held;
    while (batch !== undefined) {
      const terminal = observeBatch(batch, state, report);
      if (terminal !== -1) {
        ended = true;
        const event = batch[terminal] as ChatStreamEvent;
        const out = terminal === batch.length - 1 ? batch : batch.slice(0, terminal + 1);
        if (event.type === 'error') {
          failure = event.error;
          yield out;
          return;
        }
        if (event.type === 'finish') {
          finished = true;
          const finish = { ...event };
          if (finish.timing !== undefined) report.outcome?.setUpstreamTiming(finish.timing);
          finish.timing ??= measuredTiming(startedAt, state.firstOutputAt);
          finish.usage ??= await countChatUsage(request.messages, request.tools, state.output.toString());
          report.outcome?.setUsage(finish.usage);
          report.attempt?.succeed();
          out[terminal] = finish;
          yield out;
          return;
        }
      }
      if (batch.length > 0) yield batch;
      const next: IteratorResult<ChatStreamEvent[]> = await iterator.next();
      batch = next.done === true ? undefined : next.value;
    }
    ended = true;
    failure = new GatewayError('upstream', 'the upstream stream ended before the response was complete');
    yield [{ type: 'error', error: failure }];
  } catch (error) {
    if (!ended) {
      ended = true;
      failure = toGatewayError(error);
      yield [{ type: 'error', error: failure }];
    }
  } finally {
    if (!ended) await iterator.return?.();
    if (!finished) await reportPartial(report, request, state.output.toString(), failure, state.reportedInput);
  }
}

interface MeasureState {
  firstOutputAt: number | undefined;
  output: StreamedText;
  reportedInput: InputUsage | undefined;
}

/** Notes what a batch streamed; the position of its terminal event (finish or error), or -1. */
function observeBatch(batch: readonly ChatStreamEvent[], state: MeasureState, report: StreamReport): number {
  for (let i = 0; i < batch.length; i++) {
    const event = batch[i] as ChatStreamEvent;
    report.reasoningState?.observe(event);
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta':
        state.firstOutputAt ??= performance.now();
        state.output.append(event.text);
        break;
      case 'tool-call-start':
        state.firstOutputAt ??= performance.now();
        state.output.append(event.name);
        break;
      case 'tool-call-delta':
        state.output.append(event.argumentsDelta);
        break;
      case 'provider-block-start':
        state.firstOutputAt ??= performance.now();
        break;
      case 'input-usage':
        state.reportedInput = event.input;
        break;
      case 'finish':
      case 'error':
        return i;
      default:
        break;
    }
  }
  return -1;
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
