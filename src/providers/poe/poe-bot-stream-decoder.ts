import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { SseEvent } from '../../wire/sse-decoder.ts';
import { SseParser } from '../../wire/sse-parser.ts';
import { FramedChatStreamDecoder } from '../shared/framed-chat-stream-decoder.ts';
import { mapTransportError } from '../shared/map-transport-error.ts';
import { ChatStreamBuilder } from '../chat-stream-builder.ts';
import { mapPoeErrorEvent } from './map-poe-error-event.ts';
import { PoeAnswerText } from './poe-answer-text.ts';
import { PoeInlineReferenceFilter } from './poe-inline-reference-filter.ts';
import { poeErrorEventSchema, poeFileEventSchema, poeJsonEventSchema, poeTextEventSchema, type PoeToolCallDelta } from './poe-bot-event-schemas.ts';
import { PoeThinkingSplitter } from './poe-thinking-splitter.ts';

export interface PoeBotStreamOptions {
  botName: string;
  /** `stream`: text goes out as it comes; `final`: only the final (replace-aware) text, at `done`. */
  mode: 'stream' | 'final';
  log: FastifyBaseLogger;
  /** The bot URL, for transport error messages. */
  url: string;
  /** Request fields the bot protocol could not carry, declared on the response start. */
  degraded?: DegradedField[];
  /** The error the answer ends with, as it is reported (an in-band refusal of the key rests it). */
  reportError?: (error: GatewayError) => GatewayError;
}

interface PendingToolCall {
  id: string | undefined;
  name: string | undefined;
  /** Arguments held until the name arrived. */
  arguments: string;
  started: boolean;
}

/**
 * Poe bot-protocol SSE events → canonical events, one network chunk at a time and synchronously,
 * following fastapi_poe's client
 * (src/fastapi_poe/client.py `perform_query_request`): `text` appends, `replace_response`
 * replaces (see PoeAnswerText), `json` carries OpenAI chunks with tool-call deltas or content,
 * `file` is an attachment the bot produced, `suggested_reply`/`meta`/`data`/pings are not part of
 * the answer, `error` ends the answer, `done` completes it. A stream that ends without `done` is
 * an error, never a silent success. Nothing is emitted until there is output, so a bot that fails
 * at once gives its error as the first event (routing retries that when it is retryable).
 */
export class PoeBotStreamDecoder extends FramedChatStreamDecoder<SseEvent> {
  private readonly options: PoeBotStreamOptions;
  private readonly builder = new ChatStreamBuilder();
  /** What the current event produced, given out (after the response start) once it is decoded. */
  private readonly pending: ChatStreamEvent[] = [];
  private readonly inlineRefs = new Map<string, string>();
  private readonly references = new PoeInlineReferenceFilter(this.inlineRefs);
  private readonly answer: PoeAnswerText;
  private readonly pendingTools = new Map<number, PendingToolCall>();
  private finishReason: FinishReason | undefined;
  private rawFinishReason: string | undefined;
  private sawToolCall = false;
  private started = false;

  constructor(options: PoeBotStreamOptions) {
    super(new SseParser());
    this.options = options;
    const { builder, pending, references } = this;
    const splitter = new PoeThinkingSplitter({
      reasoning: (text) => pushAll(pending, builder.reasoning(text)),
      text: (text) => pushAll(pending, builder.text(references.push(text))),
    });
    this.answer = new PoeAnswerText(splitter, {
      finalOnly: options.mode === 'final',
      onDivergence: () => options.log.warn({ bot: options.botName }, 'Poe bot replaced answer text already streamed; the replacement follows it'),
    });
  }

  get isEnded(): boolean {
    return this.builder.isEnded;
  }

  fail(error: unknown): ChatStreamEvent[] {
    this.failWith(mapTransportError(error, this.options.url));
    const out: ChatStreamEvent[] = [];
    this.flush(out);
    return out;
  }

  protected complete(out: ChatStreamEvent[]): void {
    this.failWith(new GatewayError('upstream', `Poe bot '${this.options.botName}' ended its stream without 'done'; the answer is incomplete`, { retryable: !this.builder.hasOutput }));
    this.flush(out);
  }

  protected frame(event: SseEvent, out: ChatStreamEvent[]): void {
    // meta, suggested_reply, data and ping events are not part of the answer; old
    // sse_starlette versions sent pings as `event: ping` with a bare timestamp as data.
    if (!ANSWER_EVENTS.has(event.event)) return;
    this.answerEvent(event);
    this.flush(out);
  }

  private answerEvent(event: SseEvent): void {
    const { botName } = this.options;
    const { builder, pending, answer } = this;
    const data = parseData(event.data);
    if (data === INVALID) {
      // fastapi_poe's client does not retry this either (BotErrorNoRetry): "retrying immediately probably won't help".
      this.failWith(new GatewayError('upstream', `Poe bot '${botName}' sent invalid JSON in a '${event.event}' event`, { retryable: false }));
      return;
    }
    // Multi-response bots tag each response with an index; llmux answers with the first.
    const index = (data as { index?: unknown } | null)?.index;
    if (typeof index === 'number' && index > 0) return;
    switch (event.event) {
      case 'text': {
        const parsed = poeTextEventSchema.safeParse(data);
        if (parsed.success) answer.append(parsed.data.text);
        break;
      }
      case 'replace_response': {
        const parsed = poeTextEventSchema.safeParse(data);
        if (parsed.success) answer.replace(parsed.data.text);
        break;
      }
      case 'file': {
        const parsed = poeFileEventSchema.safeParse(data);
        if (!parsed.success) break;
        const file = parsed.data;
        const details: { mediaType?: string; name?: string } = {};
        if (file.content_type !== undefined && file.content_type !== null) details.mediaType = file.content_type;
        if (file.name !== undefined && file.name !== null) details.name = file.name;
        pushAll(pending, builder.file(file.url, details));
        if (file.inline_ref !== undefined && file.inline_ref !== null && file.inline_ref !== '') this.inlineRefs.set(file.inline_ref, file.url);
        break;
      }
      case 'json': {
        const parsed = poeJsonEventSchema.safeParse(data);
        const choice = parsed.success ? parsed.data.choices?.[0] : undefined;
        if (choice === undefined) break;
        const content = choice.delta?.content;
        if (typeof content === 'string') answer.append(content);
        for (const call of choice.delta?.tool_calls ?? []) this.sawToolCall = addToolCallDelta(call, this.pendingTools, builder, pending) || this.sawToolCall;
        if (typeof choice.finish_reason === 'string') {
          this.rawFinishReason = choice.finish_reason;
          this.finishReason = mapFinishReason(choice.finish_reason);
        }
        break;
      }
      case 'error': {
        const parsed = poeErrorEventSchema.safeParse(data);
        this.failWith(mapPoeErrorEvent(parsed.success ? parsed.data : {}, botName, builder.hasOutput));
        break;
      }
      case 'done': {
        answer.finish();
        pushAll(pending, builder.text(this.references.end()));
        pushAll(pending, builder.text(referenceDefinitions(answer.text, this.inlineRefs, this.references.removed)));
        if (!builder.hasOutput && !this.sawToolCall) {
          this.failWith(new GatewayError('upstream', `Poe bot '${botName}' sent no response`, { retryable: true }));
        } else {
          const reason = this.sawToolCall ? 'tool-calls' : (this.finishReason ?? 'stop');
          pushAll(pending, builder.finish(reason, this.rawFinishReason === undefined ? {} : { raw: this.rawFinishReason }));
        }
        break;
      }
      default:
        break;
    }
  }

  private failWith(error: GatewayError): void {
    pushAll(this.pending, this.builder.error(error));
  }

  /** What the event produced, after the response start when it is the first output; an error as it is reported. */
  private flush(out: ChatStreamEvent[]): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    const last = pending[pending.length - 1];
    if (last?.type === 'error' && this.options.reportError !== undefined) pending[pending.length - 1] = { type: 'error', error: this.options.reportError(last.error) };
    if (!this.started && pending[0]?.type !== 'error') {
      this.started = true;
      pushAll(out, this.builder.start({ model: this.options.botName, degraded: this.options.degraded ?? [] }));
    }
    pushAll(out, pending);
    pending.length = 0;
  }
}

const INVALID = Symbol('invalid');
const ANSWER_EVENTS = new Set(['text', 'replace_response', 'file', 'json', 'error', 'done']);

function parseData(data: string): unknown {
  if (data === '') return null;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return INVALID;
  }
}

function pushAll(target: ChatStreamEvent[], events: ChatStreamEvent[]): void {
  for (const event of events) target.push(event);
}

/** Returns whether a tool call was started or continued. */
function addToolCallDelta(call: PoeToolCallDelta, pending: Map<number, PendingToolCall>, builder: ChatStreamBuilder, out: ChatStreamEvent[]): boolean {
  const index = call.index ?? 0;
  const argumentsDelta = call.function?.arguments ?? '';
  const known = pending.get(index);
  if (known?.started === true) {
    if (builder.openToolCallId === known.id) pushAll(out, builder.toolCallDelta(argumentsDelta));
    else if (argumentsDelta.length > 0) {
      pushAll(out, builder.error(new GatewayError('upstream', `the Poe bot sent more arguments for tool call '${known.name ?? ''}' after another block had started`)));
    }
    return true;
  }
  // The first delta of a call should carry its id and name; until the name arrives, collect.
  const entry = known ?? { id: undefined, name: undefined, arguments: '', started: false };
  entry.id ??= call.id ?? undefined;
  entry.name ??= call.function?.name ?? undefined;
  entry.arguments += argumentsDelta;
  if (entry.name === undefined || entry.name === '') {
    pending.set(index, entry);
    return false;
  }
  const id = entry.id ?? `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  pending.set(index, { id, name: entry.name, arguments: '', started: true });
  pushAll(out, builder.toolCallStart(id, entry.name));
  pushAll(out, builder.toolCallDelta(entry.arguments));
  return true;
}

function mapFinishReason(reason: string): FinishReason {
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool-calls';
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content-filter';
  return 'stop';
}

/**
 * A reference to a file that arrived only after the text naming it (`![name][inline_ref]`,
 * types.py `Attachment.inline_ref`) could not be taken out; clients outside Poe cannot resolve
 * it, so its link definition is appended — standard markdown, and append-only.
 */
function referenceDefinitions(text: string, inlineRefs: ReadonlyMap<string, string>, removed: ReadonlySet<string>): string {
  let definitions = '';
  for (const [ref, url] of inlineRefs) {
    if (removed.has(ref) || !text.includes(`][${ref}]`) || text.includes(`[${ref}]:`)) continue;
    definitions += `\n[${ref}]: ${url}`;
  }
  return definitions === '' ? '' : '\n' + definitions;
}
