import type { ChatStreamEvent, ResponseStart } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { Timing } from '../../canonical/timing.ts';
import type { Usage } from '../../canonical/usage.ts';
import type { SseEvent } from '../../wire/sse-decoder.ts';
import { SseParser } from '../../wire/sse-parser.ts';
import { FramedChatStreamDecoder } from '../shared/framed-chat-stream-decoder.ts';
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
import { isPlainDeltaChunk } from './is-plain-delta-chunk.ts';
import { OpenAICompatibleToolCallAssembler } from './openai-compatible-tool-call-assembler.ts';
import { ThinkTagSplitter } from './think-tag-splitter.ts';
import { readUpstreamIdentity } from './read-upstream-identity.ts';

export type StreamDecoderDialect = Pick<OpenAICompatibleDialect, 'splitThinkTags' | 'decodeExtra'>;

const SHOWN_CHUNK_CHARS = 200;

/**
 * Chat-completions SSE bytes → canonical events
 * (https://platform.openai.com/docs/api-reference/chat-streaming; error handling as in
 * github:openai/openai-node src/core/streaming.ts and github:Cerebras/cerebras-cloud-sdk-node
 * src/streaming.ts), one network chunk at a time and synchronously: `push` returns the events a
 * chunk completes, `end` what the end of the body means, `fail` what a broken body means. Usage
 * may come in any chunk (often a last one with `choices: []`), so the finish is sent at `[DONE]`
 * or at the end of the body. A body that ends with neither a `finish_reason` nor `[DONE]` was cut
 * off: that is an error, never a quiet success. `url` only names the upstream in transport errors;
 * `degraded` (what the request lost on the way) goes on the response start.
 */
export class OpenAICompatibleStreamDecoder extends FramedChatStreamDecoder<SseEvent> {
  private readonly dialect: StreamDecoderDialect;
  private readonly url: string;
  private readonly degraded: DegradedField[];
  private readonly builder = new ChatStreamBuilder();
  private readonly toolCalls = new OpenAICompatibleToolCallAssembler();
  private readonly splitter: ThinkTagSplitter | undefined;
  /**
   * Logprobs of content the think-tag splitter holds back until it knows what the content is:
   * given to the text it lets out, dropped with reasoning (which has no logprobs on the canonical stream).
   */
  private readonly heldLogprobs: TokenLogprob[] = [];
  private started = false;
  private rawFinish: string | undefined;
  private stopSequence: string | undefined;
  private usage: Usage | undefined;
  private timing: Timing | undefined;
  private sawDone = false;

  constructor(dialect: StreamDecoderDialect, url: string, degraded: DegradedField[] = []) {
    super(new SseParser());
    this.dialect = dialect;
    this.url = url;
    this.degraded = degraded;
    this.splitter = dialect.splitThinkTags ? new ThinkTagSplitter() : undefined;
  }

  /** Whether the terminal event (finish or error) has been returned: nothing more is read. */
  get isEnded(): boolean {
    return this.builder.isEnded;
  }

  fail(error: unknown): ChatStreamEvent[] {
    if (this.builder.isEnded) return [];
    const failure = mapTransportError(error, this.url);
    // Once the upstream gave its finish_reason the answer is whole; a connection lost before
    // `[DONE]` (or the usage chunk OpenAI sends after it) costs the client nothing, so it still
    // gets its answer (usage is then counted by routing). Anything earlier is a broken answer.
    if (this.rawFinish === undefined || failure.kind === 'canceled') return this.builder.error(failure);
    const out: ChatStreamEvent[] = [];
    this.complete(out);
    return out;
  }

  /** One event; `[DONE]` completes the answer at once (what comes after it is not read). */
  protected frame(event: SseEvent, out: ChatStreamEvent[]): void {
    const builder = this.builder;
    const data = event.data;
    if (data.startsWith('[DONE]')) {
      this.sawDone = true;
      this.complete(out);
      return;
    }
    if (data.trim().length === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      push(out, builder.error(new GatewayError('upstream', `the upstream sent a stream chunk that is not JSON: ${shorten(data)}`)));
      return;
    }
    if (event.event === 'error' || hasErrorField(payload)) {
      push(out, builder.error(mapOpenAICompatibleStreamError(payload)));
      return;
    }
    let chunk: OpenAICompatibleChunk;
    if (isPlainDeltaChunk(payload)) chunk = payload;
    else {
      const parsed = openAICompatibleChunkSchema.safeParse(payload);
      if (!parsed.success) {
        push(out, builder.error(new GatewayError('upstream', `the upstream sent a stream chunk llmux cannot read: ${shorten(data)}`)));
        return;
      }
      chunk = parsed.data;
    }
    if (!this.started) {
      this.started = true;
      push(out, builder.start(responseStart(chunk, this.degraded)));
    }
    for (const choice of chunk.choices ?? []) {
      // n > 1 has no canonical form; only the first choice is read.
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta;
      if (delta !== null && delta !== undefined) {
        const reasoning = delta.reasoning ?? delta.reasoning_content;
        if (reasoning) push(out, builder.reasoning(reasoning));
        const content = contentText(delta.content);
        if (content.length > 0) {
          const splitter = this.splitter;
          if (splitter === undefined || splitter.isPassthrough) push(out, builder.text(content, mapOpenAICompatibleLogprobs(choice.logprobs)));
          else {
            this.heldLogprobs.push(...(mapOpenAICompatibleLogprobs(choice.logprobs) ?? []));
            this.splitSegments(splitter.push(content), out);
          }
        }
        if (delta.refusal) push(out, builder.text(delta.refusal));
        const fragments = delta.tool_calls;
        if (fragments !== null && fragments !== undefined) {
          for (let position = 0; position < fragments.length; position++) {
            const fragment = fragments[position];
            if (fragment !== undefined) push(out, this.toolCalls.push(fragment, position, builder));
          }
          if (builder.isEnded) return;
        }
      }
      if (choice.finish_reason) this.rawFinish = choice.finish_reason;
      if (typeof choice.stop_reason === 'string') this.stopSequence = choice.stop_reason;
    }
    this.usage = mapOpenAICompatibleUsage(chunk.usage) ?? this.usage;
    const extras = this.dialect.decodeExtra(chunk);
    if (extras !== undefined) {
      this.timing = extras.timing ?? this.timing;
      this.usage = extras.usage ?? this.usage;
    }
  }

  private splitSegments(segments: Iterable<{ kind: 'text' | 'reasoning'; text: string }>, out: ChatStreamEvent[]): void {
    for (const segment of segments) {
      if (segment.kind === 'reasoning') {
        this.heldLogprobs.length = 0;
        push(out, this.builder.reasoning(segment.text));
      } else push(out, this.builder.text(segment.text, this.heldLogprobs.splice(0)));
    }
  }

  /** The answer is complete (`[DONE]`, the end of the body): what is held back, then the finish. */
  protected complete(out: ChatStreamEvent[]): void {
    const builder = this.builder;
    if (this.splitter !== undefined) this.splitSegments(this.splitter.flush(), out);
    push(out, this.toolCalls.flush(builder));
    if (builder.isEnded) return;
    const rawFinish = this.rawFinish;
    if (rawFinish === undefined && !this.sawDone) {
      push(out, builder.error(new GatewayError('upstream', 'the upstream stream ended before the response was complete (no finish_reason, no [DONE])')));
      return;
    }
    const madeToolCalls = this.toolCalls.count > 0;
    const finishReason = rawFinish === undefined ? (madeToolCalls ? 'tool-calls' : 'stop') : mapOpenAICompatibleFinishReason(rawFinish, madeToolCalls);
    const details: FinishDetails = {};
    if (rawFinish !== undefined) details.raw = rawFinish;
    if (rawFinish === 'stop' && this.stopSequence !== undefined) details.stopSequence = this.stopSequence;
    if (this.usage !== undefined) details.usage = this.usage;
    if (this.timing !== undefined) details.timing = this.timing;
    push(out, builder.finish(finishReason, details));
  }
}

/** The same decoding over an async stream of chunks, for callers that read events one by one. */
export async function* decodeOpenAICompatibleStream(
  body: AsyncIterable<Uint8Array | string>,
  dialect: StreamDecoderDialect,
  url: string,
  degraded: DegradedField[] = [],
): AsyncGenerator<ChatStreamEvent> {
  const decoder = new OpenAICompatibleStreamDecoder(dialect, url, degraded);
  try {
    for await (const chunk of body) {
      yield* decoder.push(chunk);
      if (decoder.isEnded) return;
    }
  } catch (error) {
    yield* decoder.fail(error);
    return;
  }
  yield* decoder.end();
}

function push(out: ChatStreamEvent[], events: readonly ChatStreamEvent[]): void {
  for (let i = 0; i < events.length; i++) out.push(events[i] as ChatStreamEvent);
}

function responseStart(chunk: OpenAICompatibleChunk, degraded: DegradedField[]): ResponseStart {
  const start: ResponseStart = { degraded };
  if (chunk.id) start.id = chunk.id;
  if (chunk.model) start.model = chunk.model;
  if (typeof chunk.created === 'number') start.created = chunk.created;
  readUpstreamIdentity(chunk, start);
  return start;
}

function hasErrorField(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && 'error' in payload && (payload as { error: unknown }).error != null;
}

function shorten(text: string): string {
  return text.length > SHOWN_CHUNK_CHARS ? text.slice(0, SHOWN_CHUNK_CHARS) + '…' : text;
}
