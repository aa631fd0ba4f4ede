import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { TokenLogprob } from '../../canonical/logprobs.ts';
import type { Timing } from '../../canonical/timing.ts';
import type { Usage } from '../../canonical/usage.ts';
import { decodeNdjson } from '../../wire/ndjson-decoder.ts';
import { ChatStreamBuilder } from '../chat-stream-builder.ts';
import { ollamaChatChunkSchema, type OllamaChatChunk } from './ollama-response-schemas.ts';

const NANOS_PER_MS = 1_000_000;

/**
 * Ollama's `/api/chat` or `/api/generate` NDJSON (or its one `stream:false` object) → canonical events: `thinking`
 * as reasoning, `content` as text, each whole tool call as one block, the final line's metrics as
 * usage and timing. An `{"error":…}` line — Ollama's way to fail after a stream started — ends
 * the stream with an error event, as does a stream that stops without `done`.
 */
export async function* decodeOllamaStream(chunks: AsyncIterable<Uint8Array | string>, providerId: string, degraded: DegradedField[] = []): AsyncGenerator<ChatStreamEvent> {
  const builder = new ChatStreamBuilder();
  let started = false;
  let sawToolCall = false;
  let callCount = 0;
  try {
    for await (const value of decodeNdjson(chunks)) {
      const parsed = ollamaChatChunkSchema.safeParse(value);
      if (!parsed.success) throw new GatewayError('upstream', `provider '${providerId}' sent a chat line llmux cannot read: ${JSON.stringify(value).slice(0, 200)}`);
      const chunk = parsed.data;
      if (chunk.error !== undefined) {
        if (!started) yield* builder.start({ degraded });
        started = true;
        yield* builder.error(mapOllamaStreamError(chunk.error, providerId));
        return;
      }
      if (!started) {
        started = true;
        yield* builder.start({ ...(chunk.model === undefined ? {} : { model: chunk.model }), ...(createdSeconds(chunk.created_at) ?? {}), degraded });
      }
      const message = chunk.message;
      const thinking = message?.thinking ?? chunk.thinking;
      if (thinking !== undefined) yield* builder.reasoning(thinking);
      const text = message?.content ?? chunk.response;
      if (text !== undefined) yield* builder.text(text, tokenLogprobs(chunk));
      for (const call of message?.tool_calls ?? []) {
        sawToolCall = true;
        callCount += 1;
        yield* builder.toolCallStart(call.id ?? `call_${callCount}`, call.function.name);
        yield* builder.toolCallDelta(JSON.stringify(call.function.arguments ?? {}));
        yield* builder.endBlock();
      }
      if (chunk.done === true) {
        yield* builder.finish(finishReason(chunk.done_reason, sawToolCall), { ...(chunk.done_reason === undefined ? {} : { raw: chunk.done_reason }), usage: ollamaUsage(chunk), ...timingOf(chunk) });
        return;
      }
    }
    if (!started) yield* builder.start({ degraded });
    yield* builder.error(new GatewayError('upstream', `provider '${providerId}' ended its stream without a done line`));
  } catch (error) {
    if (!started) yield* builder.start({ degraded });
    yield* builder.error(error instanceof GatewayError ? error : new GatewayError('upstream', `provider '${providerId}': ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
  }
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
