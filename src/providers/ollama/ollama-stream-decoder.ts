import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { TokenLogprob } from '../../canonical/logprobs.ts';
import type { Timing } from '../../canonical/timing.ts';
import type { Usage } from '../../canonical/usage.ts';
import { LineSplitter } from '../../wire/line-splitter.ts';
import { FramedChatStreamDecoder } from '../shared/framed-chat-stream-decoder.ts';
import { ChatStreamBuilder } from '../chat-stream-builder.ts';
import { ollamaChatChunkSchema, type OllamaChatChunk } from './ollama-response-schemas.ts';

const NANOS_PER_MS = 1_000_000;

/**
 * Ollama's `/api/chat` or `/api/generate` NDJSON (or its one `stream:false` object) → canonical
 * events, one network chunk at a time and synchronously: `thinking` as reasoning, `content` as
 * text, each whole tool call as one block, the final line's metrics as usage and timing. An
 * `{"error":…}` line — Ollama's way to fail after a stream started — ends the stream with an error
 * event, as does a stream that stops without `done`.
 */
export class OllamaStreamDecoder extends FramedChatStreamDecoder<string> {
  private readonly providerId: string;
  private readonly degraded: DegradedField[];
  private readonly builder = new ChatStreamBuilder();
  private started = false;
  private sawToolCall = false;
  private callCount = 0;

  constructor(providerId: string, degraded: DegradedField[] = []) {
    super(new LineSplitter());
    this.providerId = providerId;
    this.degraded = degraded;
  }

  get isEnded(): boolean {
    return this.builder.isEnded;
  }

  /** The body ended without a done line: the answer was cut off. */
  protected complete(out: ChatStreamEvent[]): void {
    this.open(out, { degraded: this.degraded });
    out.push(...this.builder.error(new GatewayError('upstream', `provider '${this.providerId}' ended its stream without a done line`)));
  }

  fail(error: unknown): ChatStreamEvent[] {
    if (this.builder.isEnded) return [];
    const out: ChatStreamEvent[] = [];
    this.open(out, { degraded: this.degraded });
    const failure = error instanceof GatewayError ? error : new GatewayError('upstream', `provider '${this.providerId}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    out.push(...this.builder.error(failure));
    return out;
  }

  protected frame(line: string, out: ChatStreamEvent[]): void {
    if (line.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch (error) {
      const excerpt = line.length > 200 ? line.slice(0, 200) + '…' : line;
      throw new GatewayError('upstream', `upstream sent a line that is not JSON: ${excerpt}`, { cause: error });
    }
    const parsed = ollamaChatChunkSchema.safeParse(value);
    if (!parsed.success) throw new GatewayError('upstream', `provider '${this.providerId}' sent a chat line llmux cannot read: ${JSON.stringify(value).slice(0, 200)}`);
    const chunk = parsed.data;
    const builder = this.builder;
    if (chunk.error !== undefined) {
      this.open(out, { degraded: this.degraded });
      out.push(...builder.error(mapOllamaStreamError(chunk.error, this.providerId)));
      return;
    }
    this.open(out, { ...(chunk.model === undefined ? {} : { model: chunk.model }), ...(createdSeconds(chunk.created_at) ?? {}), degraded: this.degraded });
    const message = chunk.message;
    const thinking = message?.thinking ?? chunk.thinking;
    if (thinking !== undefined) out.push(...builder.reasoning(thinking));
    const text = message?.content ?? chunk.response;
    if (text !== undefined) out.push(...builder.text(text, tokenLogprobs(chunk)));
    for (const call of message?.tool_calls ?? []) {
      this.sawToolCall = true;
      this.callCount += 1;
      out.push(...builder.toolCallStart(call.id ?? `call_${this.callCount}`, call.function.name));
      out.push(...builder.toolCallDelta(JSON.stringify(call.function.arguments ?? {})));
      out.push(...builder.endBlock());
    }
    if (chunk.done === true) {
      out.push(...builder.finish(finishReason(chunk.done_reason, this.sawToolCall), { ...(chunk.done_reason === undefined ? {} : { raw: chunk.done_reason }), usage: ollamaUsage(chunk), ...timingOf(chunk) }));
    }
  }

  /** The response's start, once, before its first event. */
  private open(out: ChatStreamEvent[], details: Parameters<ChatStreamBuilder['start']>[0]): void {
    if (this.started) return;
    this.started = true;
    out.push(...this.builder.start(details));
  }
}

/** The same decoding over an async stream of chunks, for callers that read events one by one. */
export async function* decodeOllamaStream(chunks: AsyncIterable<Uint8Array | string>, providerId: string, degraded: DegradedField[] = []): AsyncGenerator<ChatStreamEvent> {
  const decoder = new OllamaStreamDecoder(providerId, degraded);
  try {
    for await (const chunk of chunks) {
      yield* decoder.push(chunk);
      if (decoder.isEnded) return;
    }
  } catch (error) {
    yield* decoder.fail(error);
    return;
  }
  yield* decoder.end();
}

/** An `{"error"}` line inside a 200 stream: the model failed while answering. */
export function mapOllamaStreamError(message: string, providerId: string): GatewayError {
  return new GatewayError('upstream', `provider '${providerId}' (Ollama) failed while answering: ${message}`, { retryable: false });
}

function finishReason(doneReason: string | undefined, sawToolCall: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  // Ollama's native done_reason stays "stop" after tool calls.
  if (sawToolCall) return 'tool-calls';
  return doneReason === undefined || doneReason === 'stop' || doneReason === 'load' || doneReason === 'unload' ? 'stop' : 'other';
}

/** Ollama's counts: prompt_eval_count is the prompt (cached tokens included), eval_count the output (thinking included). */
export function ollamaUsage(chunk: OllamaChatChunk): Usage {
  const raw: Record<string, number> = {};
  for (const key of ['prompt_eval_count', 'eval_count', 'total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'] as const) {
    const value = chunk[key];
    if (value !== undefined) raw[key] = value;
  }
  return { input: { total: chunk.prompt_eval_count ?? 0 }, output: { total: chunk.eval_count ?? 0 }, source: 'upstream', raw };
}

/** Ollama's durations (nanoseconds): loading is the wait before the model ran. */
function timingOf(chunk: OllamaChatChunk): { timing?: Timing } {
  if (chunk.total_duration === undefined) return {};
  return {
    timing: {
      queueMs: (chunk.load_duration ?? 0) / NANOS_PER_MS,
      promptMs: (chunk.prompt_eval_duration ?? 0) / NANOS_PER_MS,
      completionMs: (chunk.eval_duration ?? 0) / NANOS_PER_MS,
      totalMs: chunk.total_duration / NANOS_PER_MS,
      source: 'upstream',
    },
  };
}

function tokenLogprobs(chunk: OllamaChatChunk): TokenLogprob[] | undefined {
  if (chunk.logprobs === undefined || chunk.logprobs === null) return undefined;
  return chunk.logprobs.map((entry) => {
    const out: TokenLogprob = { token: entry.token, logprob: entry.logprob };
    if (entry.bytes !== undefined && entry.bytes !== null) out.bytes = entry.bytes;
    if (entry.top_logprobs !== undefined && entry.top_logprobs !== null) {
      out.top = entry.top_logprobs.map((top) => ({ token: top.token, logprob: top.logprob, ...(top.bytes === undefined || top.bytes === null ? {} : { bytes: top.bytes }) }));
    }
    return out;
  });
}

function createdSeconds(createdAt: string | undefined): { created: number } | undefined {
  if (createdAt === undefined) return undefined;
  const ms = Date.parse(createdAt);
  return Number.isNaN(ms) ? undefined : { created: Math.floor(ms / 1000) };
}
