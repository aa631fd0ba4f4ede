import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError, toGatewayError } from '../../canonical/gateway-error.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { SseEvent } from '../../wire/sse-decoder.ts';
import { SseParser } from '../../wire/sse-parser.ts';
import { FramedChatStreamDecoder } from '../shared/framed-chat-stream-decoder.ts';
import { anthropicStreamEventSchema, type AnthropicUsage } from './anthropic-response-schemas.ts';
import { mapAnthropicStreamError } from './map-anthropic-error.ts';
import { citationsOf } from './convert-anthropic-message.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { anthropicServiceTierOf, mapAnthropicInputUsage, mapAnthropicUsage } from './map-anthropic-usage.ts';

const PROVIDER = 'anthropic';
const KNOWN_EVENTS = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop', 'error']);

type OpenBlock =
  | { kind: 'text'; id: string; citations: Record<string, unknown>[] }
  | { kind: 'thinking'; id: string; signature: string }
  | { kind: 'redacted'; id: string; data: string }
  | { kind: 'tool'; id: string }
  | { kind: 'provider'; id: string; block: Record<string, unknown> & { type: string }; json: string };

/**
 * The Messages API's server-sent events → canonical events, one network chunk at a time and
 * synchronously. Anthropic's blocks are already strictly
 * sequential and indexed, so each becomes one canonical block with the index as its id: text,
 * thinking (its `signature_delta` kept as provider metadata on the block's end), redacted thinking
 * (its `data` as encrypted metadata), tool use (`input_json_delta` fragments as argument deltas);
 * any other block (server tool calls and results: `server_tool_use`, `web_search_tool_result`…)
 * passes through as a provider block, its deltas as they came and the whole block on its end.
 * `message_start` gives the prompt's usage at once (`input-usage`); `message_stop` ends with the
 * stop reason, the stop sequence that matched and the usage of `message_start` and
 * `message_delta` together. An `event: error`, a
 * body that is not the protocol, or a stream that stops before `message_stop` ends in an error.
 * `degraded` (what the request lost on the way) goes on the response start.
 */
export class AnthropicStreamDecoder extends FramedChatStreamDecoder<SseEvent> {
  private readonly degraded: DegradedField[];
  private ended = false;
  private open: OpenBlock | undefined;
  private startUsage: AnthropicUsage | undefined;
  private endUsage: AnthropicUsage | undefined;
  private stopReason: string | null | undefined;
  private stopSequence: string | null | undefined;

  constructor(degraded: DegradedField[] = []) {
    super(new SseParser());
    this.degraded = degraded;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  fail(error: unknown): ChatStreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    return [{ type: 'error', error: toGatewayError(error) }];
  }

  protected complete(out: ChatStreamEvent[]): void {
    out.push(...this.fail(new GatewayError('upstream', 'the upstream stream ended before the response was complete')));
  }

  protected frame(sse: SseEvent, out: ChatStreamEvent[]): void {
    let payload: unknown;
    try {
      payload = JSON.parse(sse.data);
    } catch {
      throw new GatewayError('upstream', `the upstream sent an event that is not JSON: ${sse.data.slice(0, 200)}`);
    }
    const parsed = anthropicStreamEventSchema.safeParse(payload);
    if (!parsed.success) {
      const type = typeof payload === 'object' && payload !== null ? (payload as { type?: unknown }).type : undefined;
      if (typeof type === 'string' && !KNOWN_EVENTS.has(type)) return;
      throw new GatewayError('upstream', `the upstream sent a malformed '${String(type)}' event: ${parsed.error.issues[0]?.message ?? ''}`);
    }
    const event = parsed.data;
    switch (event.type) {
      case 'message_start': {
        const start: ChatStreamEvent = { type: 'response-start', id: event.message.id };
        if (event.message.model !== undefined) start.model = event.message.model;
        if (this.degraded.length > 0) start.degraded = this.degraded;
        const tier = anthropicServiceTierOf(event.message.usage);
        if (tier !== undefined) start.serviceTier = tier;
        out.push(start);
        if (event.message.usage !== undefined && event.message.usage !== null) {
          this.startUsage = event.message.usage;
          out.push({ type: 'input-usage', input: mapAnthropicInputUsage(this.startUsage) });
        }
        break;
      }
      case 'content_block_start': {
        this.close(out);
        const id = String(event.index);
        const block = event.content_block as { type: string; text?: unknown; thinking?: unknown; data?: unknown; id?: unknown; name?: unknown };
        if (block.type === 'text') {
          this.open = { kind: 'text', id, citations: citationsOf((block as { citations?: unknown }).citations) ?? [] };
          out.push({ type: 'text-start', id });
          if (typeof block.text === 'string' && block.text.length > 0) out.push({ type: 'text-delta', id, text: block.text });
        } else if (block.type === 'thinking') {
          this.open = { kind: 'thinking', id, signature: '' };
          out.push({ type: 'reasoning-start', id });
          if (typeof block.thinking === 'string' && block.thinking.length > 0) out.push({ type: 'reasoning-delta', id, text: block.thinking });
        } else if (block.type === 'redacted_thinking') {
          this.open = { kind: 'redacted', id, data: typeof block.data === 'string' ? block.data : '' };
          out.push({ type: 'reasoning-start', id, redacted: true });
        } else if (block.type === 'tool_use') {
          this.open = { kind: 'tool', id };
          out.push({ type: 'tool-call-start', id, toolCallId: String(block.id), name: String(block.name) });
        } else {
          // Server tool calls and results (server_tool_use, web_search_tool_result…) pass through whole.
          const whole = { ...event.content_block };
          this.open = { kind: 'provider', id, block: whole, json: '' };
          out.push({ type: 'provider-block-start', id, provider: PROVIDER, block: whole });
        }
        break;
      }
      case 'content_block_delta': {
        const block = this.open;
        if (block === undefined || block.id !== String(event.index)) break;
        const delta = event.delta as { type: string; text?: unknown; thinking?: unknown; signature?: unknown; partial_json?: unknown };
        if (delta.type === 'text_delta' && block.kind === 'text' && typeof delta.text === 'string' && delta.text.length > 0) out.push({ type: 'text-delta', id: block.id, text: delta.text });
        else if (delta.type === 'thinking_delta' && block.kind === 'thinking' && typeof delta.thinking === 'string' && delta.thinking.length > 0) out.push({ type: 'reasoning-delta', id: block.id, text: delta.thinking });
        else if (delta.type === 'signature_delta' && block.kind === 'thinking' && typeof delta.signature === 'string') block.signature += delta.signature;
        else if (delta.type === 'input_json_delta' && block.kind === 'tool' && typeof delta.partial_json === 'string' && delta.partial_json.length > 0) out.push({ type: 'tool-call-delta', id: block.id, argumentsDelta: delta.partial_json });
        else if (delta.type === 'citations_delta' && block.kind === 'text') {
          const citation = (delta as { citation?: unknown }).citation;
          if (typeof citation === 'object' && citation !== null) block.citations.push(citation as Record<string, unknown>);
          out.push({ type: 'provider-block-delta', id: block.id, delta: { ...event.delta } });
        } else if (block.kind === 'provider') {
          if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') block.json += delta.partial_json;
          out.push({ type: 'provider-block-delta', id: block.id, delta: { ...event.delta } });
        }
        break;
      }
      case 'content_block_stop':
        if (this.open?.id === String(event.index)) this.close(out);
        break;
      case 'message_delta':
        this.stopReason = event.delta.stop_reason;
        this.stopSequence = event.delta.stop_sequence;
        if (event.usage !== undefined && event.usage !== null) this.endUsage = event.usage;
        break;
      case 'message_stop': {
        this.close(out);
        const stopReason = this.stopReason;
        const finish: ChatStreamEvent = { type: 'finish', finishReason: mapAnthropicStopReason(stopReason), usage: mapAnthropicUsage(this.startUsage, this.endUsage) };
        if (stopReason !== undefined && stopReason !== null) finish.rawFinishReason = stopReason;
        if (typeof this.stopSequence === 'string') finish.stopSequence = this.stopSequence;
        this.ended = true;
        out.push(finish);
        break;
      }
      case 'error':
        this.ended = true;
        out.push({ type: 'error', error: mapAnthropicStreamError(event.error) });
        break;
      default:
        break;
    }
  }

  /** The open block's end, if one is open. */
  private close(out: ChatStreamEvent[]): void {
    const block = this.open;
    this.open = undefined;
    if (block === undefined) return;
    if (block.kind === 'text') out.push(block.citations.length > 0 ? { type: 'text-end', id: block.id, metadata: { provider: PROVIDER, citations: block.citations } } : { type: 'text-end', id: block.id });
    else if (block.kind === 'thinking') out.push(block.signature.length > 0 ? { type: 'reasoning-end', id: block.id, metadata: { provider: PROVIDER, signature: block.signature } } : { type: 'reasoning-end', id: block.id });
    else if (block.kind === 'redacted') out.push({ type: 'reasoning-end', id: block.id, metadata: { provider: PROVIDER, encrypted: block.data } });
    else if (block.kind === 'tool') out.push({ type: 'tool-call-end', id: block.id });
    else out.push({ type: 'provider-block-end', id: block.id, block: completeProviderBlock(block.block, block.json) });
  }
}

/** A streamed provider block as a whole: its `input` from the `input_json_delta` fragments, when it had any. */
function completeProviderBlock(block: Record<string, unknown> & { type: string }, json: string): Record<string, unknown> & { type: string } {
  if (json.length === 0) return block;
  try {
    return { ...block, input: JSON.parse(json) as unknown };
  } catch {
    return { ...block, input: json };
  }
}
