import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { Timing } from '../../canonical/timing.ts';
import type { Usage } from '../../canonical/usage.ts';
import { decodeSse } from '../../wire/sse-decoder.ts';
import { mapTransportError } from '../shared/map-transport-error.ts';
import { ChatStreamBuilder, type FinishDetails } from '../chat-stream-builder.ts';
import { contentText } from './content-text.ts';
import { mapOpenAICompatibleStreamError } from './map-openai-compatible-error.ts';
import { mapOpenAICompatibleFinishReason } from './map-openai-compatible-finish-reason.ts';
import type { TokenLogprob } from '../../canonical/logprobs.ts';
import { mapOpenAICompatibleLogprobs } from './map-openai-compatible-logprobs.ts';
import { mapOpenAICompatibleUsage } from './map-openai-compatible-usage.ts';
import type { OpenAICompatibleDialect } from './openai-compatible-dialect.ts';
import { openAICompatibleChunkSchema, type OpenAICompatibleChunk } from './openai-compatible-response-schemas.ts';
import { OpenAICompatibleToolCallAssembler } from './openai-compatible-tool-call-assembler.ts';
import { ThinkTagSplitter } from './think-tag-splitter.ts';

export type StreamDecoderDialect = Pick<OpenAICompatibleDialect, 'splitThinkTags' | 'decodeExtra'>;

const SHOWN_CHUNK_CHARS = 200;

/**
 * Chat-completions SSE bytes → canonical events
 * (https://platform.openai.com/docs/api-reference/chat-streaming; error handling as in
 * github:openai/openai-node src/core/streaming.ts and github:Cerebras/cerebras-cloud-sdk-node
 * src/streaming.ts). Usage may come in any chunk (often a last one with `choices: []`), so the
 * finish is sent at `[DONE]` or at the end of the body. A body that ends with neither a
 * `finish_reason` nor `[DONE]` was cut off: that is an error, never a quiet success. `url` only
 * names the upstream in transport errors; `degraded` (what the request lost on the way) goes on
 * the response start.
 */
export async function* decodeOpenAICompatibleStream(
  body: AsyncIterable<Uint8Array | string>,
  dialect: StreamDecoderDialect,
  url: string,
  degraded: DegradedField[] = [],
): AsyncGenerator<ChatStreamEvent> {
  const builder = new ChatStreamBuilder();
  const toolCalls = new OpenAICompatibleToolCallAssembler();
  const splitter = dialect.splitThinkTags ? new ThinkTagSplitter() : undefined;
  // Logprobs of content the think-tag splitter holds back until it knows what the content is:
  // given to the text it lets out, dropped with reasoning (which has no logprobs on the canonical stream).
  const heldLogprobs: TokenLogprob[] = [];
  const splitSegments = function* (segments: Iterable<{ kind: 'text' | 'reasoning'; text: string }>): Generator<ChatStreamEvent> {
    for (const segment of segments) {
      if (segment.kind === 'reasoning') {
        heldLogprobs.length = 0;
        yield* builder.reasoning(segment.text);
      } else yield* builder.text(segment.text, heldLogprobs.splice(0));
    }
  };
  let started = false;
  let rawFinish: string | undefined;
  let stopSequence: string | undefined;
  let usage: Usage | undefined;
  let timing: Timing | undefined;
  let sawDone = false;
  try {
    for await (const event of decodeSse(body)) {
      const data = event.data;
      if (data.startsWith('[DONE]')) {
        sawDone = true;
        break;
      }
      if (data.trim().length === 0) continue;
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        yield* builder.error(new GatewayError('upstream', `the upstream sent a stream chunk that is not JSON: ${shorten(data)}`));
        return;
      }
      if (event.event === 'error' || hasErrorField(payload)) {
        yield* builder.error(mapOpenAICompatibleStreamError(payload));
        return;
      }
      const parsed = openAICompatibleChunkSchema.safeParse(payload);
      if (!parsed.success) {
        yield* builder.error(new GatewayError('upstream', `the upstream sent a stream chunk llmux cannot read: ${shorten(data)}`));
        return;
      }
      const chunk = parsed.data;
      if (!started) {
        started = true;
        yield* builder.start(responseStart(chunk, degraded));
      }
      for (const choice of chunk.choices ?? []) {
        // n > 1 has no canonical form; only the first choice is read.
        if ((choice.index ?? 0) !== 0) continue;
        const delta = choice.delta;
        if (delta !== null && delta !== undefined) {
          const reasoning = delta.reasoning ?? delta.reasoning_content;
          if (reasoning) yield* builder.reasoning(reasoning);
          const content = contentText(delta.content);
          if (content.length > 0) {
            if (splitter === undefined || splitter.isPassthrough) yield* builder.text(content, mapOpenAICompatibleLogprobs(choice.logprobs));
            else {
              heldLogprobs.push(...(mapOpenAICompatibleLogprobs(choice.logprobs) ?? []));
              yield* splitSegments(splitter.push(content));
            }
          }
          if (delta.refusal) yield* builder.text(delta.refusal);
          const fragments = delta.tool_calls;
          if (fragments !== null && fragments !== undefined) {
            for (let position = 0; position < fragments.length; position++) {
              const fragment = fragments[position];
              if (fragment !== undefined) yield* toolCalls.push(fragment, position, builder);
            }
            if (builder.isEnded) return;
          }
        }
        if (choice.finish_reason) rawFinish = choice.finish_reason;
        if (typeof choice.stop_reason === 'string') stopSequence = choice.stop_reason;
      }
      usage = mapOpenAICompatibleUsage(chunk.usage) ?? usage;
      const extras = dialect.decodeExtra(chunk);
      if (extras !== undefined) {
        timing = extras.timing ?? timing;
        usage = extras.usage ?? usage;
      }
    }
  } catch (error) {
    const failure = mapTransportError(error, url);
    // Once the upstream gave its finish_reason the answer is whole; a connection lost before
    // `[DONE]` (or the usage chunk OpenAI sends after it) costs the client nothing, so it still
    // gets its answer (usage is then counted by routing). Anything earlier is a broken answer.
    if (rawFinish === undefined || failure.kind === 'canceled') {
      yield* builder.error(failure);
      return;
    }
  }
  if (splitter !== undefined) yield* splitSegments(splitter.flush());
  yield* toolCalls.flush(builder);
  if (rawFinish === undefined && !sawDone) {
    yield* builder.error(new GatewayError('upstream', 'the upstream stream ended before the response was complete (no finish_reason, no [DONE])'));
    return;
  }
  const madeToolCalls = toolCalls.count > 0;
  const finishReason = rawFinish === undefined ? (madeToolCalls ? 'tool-calls' : 'stop') : mapOpenAICompatibleFinishReason(rawFinish, madeToolCalls);
  const details: FinishDetails = {};
  if (rawFinish !== undefined) details.raw = rawFinish;
  if (rawFinish === 'stop' && stopSequence !== undefined) details.stopSequence = stopSequence;
  if (usage !== undefined) details.usage = usage;
  if (timing !== undefined) details.timing = timing;
  yield* builder.finish(finishReason, details);
}

function responseStart(chunk: OpenAICompatibleChunk, degraded: DegradedField[]): { id?: string; model?: string; created?: number; degraded: DegradedField[] } {
  const start: { id?: string; model?: string; created?: number; degraded: DegradedField[] } = { degraded };
  if (chunk.id) start.id = chunk.id;
  if (chunk.model) start.model = chunk.model;
  if (typeof chunk.created === 'number') start.created = chunk.created;
  return start;
}

function hasErrorField(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && 'error' in payload && (payload as { error: unknown }).error != null;
}

function shorten(text: string): string {
  return text.length > SHOWN_CHUNK_CHARS ? text.slice(0, SHOWN_CHUNK_CHARS) + '…' : text;
}
