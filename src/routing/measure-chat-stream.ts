import type { ChatRequest } from '../canonical/chat-request.ts';
import type { ChatStreamEvent } from '../canonical/chat-stream-event.ts';
import { GatewayError, toGatewayError } from '../canonical/gateway-error.ts';
import type { Timing } from '../canonical/timing.ts';
import type { InputUsage, Usage } from '../canonical/usage.ts';
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

const ENDED: Promise<undefined> = Promise.resolve(undefined);
const CLOSED: Promise<void> = Promise.resolve();
const ignore = (): void => undefined;

/**
 * A provider's stream as inbound encoders read it, batch by batch (one per upstream network chunk):
 * `next` waits for the next batch and measures it synchronously, so that it is encoded and written
 * in the same pass. What comes out always holds: exactly one terminal event (a thrown error or a
 * missing finish becomes an `error` event), and the finish carries timing and usage — the
 * upstream's where it reported them, otherwise measured here and counted with a tokenizer (the one
 * step that may wait). `startedAt` is when the upstream call began (performance.now()).
 * The outcome gets the usage either way: the final one, or — when the stream ended early (an
 * error, the client went away) — the prompt and what was streamed so far, which the upstream
 * generated and the client's key is charged for. Batches pass through whole (the held events
 * first, as one), cut after the terminal event.
 */
export class MeasuredChatStream {
  /** What routing held until the first output: every event before it, and the rest of the batch that brought it. */
  readonly held: readonly ChatStreamEvent[];
  private readonly rest: AsyncIterator<ChatStreamEvent[]>;
  private readonly request: ChatRequest;
  private readonly startedAt: number;
  private readonly report: StreamReport;
  private readonly output = new StreamedText();
  private firstOutputAt: number | undefined;
  private reportedInput: InputUsage | undefined;
  private first: ChatStreamEvent[] | undefined;
  /** The terminal event has been handed on (or the reader closed): nothing more is read. */
  private ended = false;
  /** The finish has been handed on with its usage, which the outcome has. */
  private finished = false;
  private failure: GatewayError | undefined;
  private closing: Promise<void> | undefined;

  constructor(stream: HeldStream, request: ChatRequest, startedAt: number, report: StreamReport = {}) {
    this.held = stream.held;
    this.first = stream.held;
    this.rest = stream.rest;
    this.firstOutputAt = stream.firstOutputAt;
    this.request = request;
    this.startedAt = startedAt;
    this.report = report;
  }

  /** The next batch, measured; undefined once the terminal event has been handed on. */
  next(): Promise<ChatStreamEvent[] | undefined> {
    if (this.ended) return ENDED;
    const first = this.first;
    if (first !== undefined) {
      this.first = undefined;
      return Promise.resolve(this.pass(first));
    }
    return this.rest.next().then(this.onResult, this.onError);
  }

  /**
   * The reader is done (after the terminal event, or early: the client went away): an unfinished
   * upstream is cut, a finished one left to release its connection, and a stream that did not
   * finish is reported with what it streamed. Never rejects; once only.
   */
  close(): Promise<void> {
    this.closing ??= this.finished ? this.releaseFinished() : this.release();
    return this.closing;
  }

  /** Read as an async iterable (the stream is closed when it ends or the reader stops): for readers other than stream bodies. */
  [Symbol.asyncIterator](): AsyncIterator<ChatStreamEvent[]> {
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: () => this.next().then((batch) => (batch === undefined ? this.close().then(() => done) : { done: false, value: batch })),
      return: () => this.close().then(() => done),
    };
  }

  private readonly onResult = (result: IteratorResult<ChatStreamEvent[]>): ChatStreamEvent[] | Promise<ChatStreamEvent[]> =>
    result.done === true ? this.fail(new GatewayError('upstream', 'the upstream stream ended before the response was complete')) : this.pass(result.value);

  private readonly onError = (error: unknown): ChatStreamEvent[] => this.fail(toGatewayError(error));

  private fail(error: GatewayError): ChatStreamEvent[] {
    this.ended = true;
    this.failure = error;
    return [{ type: 'error', error }];
  }

  /** Notes what a batch streamed and cuts it after its terminal event, if it has one. */
  private pass(batch: ChatStreamEvent[]): ChatStreamEvent[] | Promise<ChatStreamEvent[]> {
    const terminal = this.observe(batch);
    if (terminal === -1) return batch;
    this.ended = true;
    const event = batch[terminal] as ChatStreamEvent;
    const out = terminal === batch.length - 1 ? batch : batch.slice(0, terminal + 1);
    if (event.type === 'error') {
      this.failure = event.error;
      return out;
    }
    if (event.type !== 'finish') return out;
    const finish = { ...event };
    out[terminal] = finish;
    if (finish.timing !== undefined) this.report.outcome?.setUpstreamTiming(finish.timing);
    finish.timing ??= measuredTiming(this.startedAt, this.firstOutputAt);
    if (finish.usage !== undefined) {
      this.succeed(finish.usage);
      return out;
    }
    return countChatUsage(this.request.messages, this.request.tools, this.output.toString()).then(
      (usage) => {
        finish.usage = usage;
        this.succeed(usage);
        return out;
      },
      (error: unknown) => {
        // No count, no finish: the answer ends with the error rather than with a made-up usage.
        this.failure = toGatewayError(error);
        out[terminal] = { type: 'error', error: this.failure };
        return out;
      },
    );
  }

  private succeed(usage: Usage): void {
    this.finished = true;
    this.report.outcome?.setUsage(usage);
    this.report.attempt?.succeed();
  }

  /** Notes what a batch streamed; the position of its terminal event (finish or error), or -1. */
  private observe(batch: readonly ChatStreamEvent[]): number {
    const reasoningState = this.report.reasoningState;
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i] as ChatStreamEvent;
      reasoningState?.observe(event);
      switch (event.type) {
        case 'text-delta':
        case 'reasoning-delta':
          this.firstOutputAt ??= performance.now();
          this.output.append(event.text);
          break;
        case 'tool-call-start':
          this.firstOutputAt ??= performance.now();
          this.output.append(event.name);
          break;
        case 'tool-call-delta':
          this.output.append(event.argumentsDelta);
          break;
        case 'provider-block-start':
          this.firstOutputAt ??= performance.now();
          break;
        case 'input-usage':
          this.reportedInput = event.input;
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
   * A finished stream (the usual end) has nothing to report and nothing to wait for: its upstream
   * drains in the background, with no async step of its own here.
   */
  private releaseFinished(): Promise<void> {
    this.ended = true;
    this.first = undefined;
    this.rest.return?.().catch(ignore);
    return CLOSED;
  }

  private async release(): Promise<void> {
    const unfinished = !this.ended;
    this.ended = true;
    this.first = undefined;
    // Cutting an unfinished upstream is awaited (it is what stops the generation); a finished one
    // drains the rest of its body in the background so its connection is reused.
    const returned = this.rest.return?.();
    if (returned !== undefined) {
      const settled = returned.then(
        () => undefined,
        () => undefined,
      );
      if (unfinished) await settled;
    }
    if (!this.finished) await this.reportPartial();
  }

  /**
   * A stream that ended without its finish: what it streamed is counted (the prompt as the upstream
   * reported it early, where it did), and the attempt failed.
   */
  private async reportPartial(): Promise<void> {
    const { outcome, attempt } = this.report;
    if (this.failure !== undefined) outcome?.noteError(this.failure);
    attempt?.fail(this.failure ?? new GatewayError('canceled', 'the client went away during the stream'));
    if (outcome === undefined) return;
    try {
      const counted = await countChatUsage(this.request.messages, this.request.tools, this.output.toString());
      outcome.setUsage(this.reportedInput === undefined ? counted : { ...counted, input: this.reportedInput });
    } catch {
      // No tokenizer: the outcome then has no usage rather than a made-up one.
    }
  }
}

/** A provider's stream, held until its first output, measured as it is read (see MeasuredChatStream). */
export function measureChatStream(stream: HeldStream, request: ChatRequest, startedAt: number, report: StreamReport = {}): MeasuredChatStream {
  return new MeasuredChatStream(stream, request, startedAt, report);
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
