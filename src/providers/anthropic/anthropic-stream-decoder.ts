import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import { GatewayError, toGatewayError } from '../../canonical/gateway-error.ts';
import { decodeSse } from '../../wire/sse-decoder.ts';
import { anthropicStreamEventSchema, type AnthropicUsage } from './anthropic-response-schemas.ts';
import { mapAnthropicStreamError } from './map-anthropic-error.ts';
import { citationsOf } from './convert-anthropic-message.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { mapAnthropicInputUsage, mapAnthropicUsage } from './map-anthropic-usage.ts';

const PROVIDER = 'anthropic';

type OpenBlock =
  | { kind: 'text'; id: string; citations: Record<string, unknown>[] }
  | { kind: 'thinking'; id: string; signature: string }
  | { kind: 'redacted'; id: string; data: string }
  | { kind: 'tool'; id: string }
  | { kind: 'provider'; id: string; block: Record<string, unknown> & { type: string }; json: string };

/**
 * The Messages API's server-sent events → canonical events. Anthropic's blocks are already strictly
 * sequential and indexed, so each becomes one canonical block with the index as its id: text,
 * thinking (its `signature_delta` kept as provider metadata on the block's end), redacted thinking
 * (its `data` as encrypted metadata), tool use (`input_json_delta` fragments as argument deltas);
 * any other block (server tool calls and results: `server_tool_use`, `web_search_tool_result`…)
 * passes through as a provider block, its deltas as they came and the whole block on its end.
 * `message_start` gives the prompt's usage at once (`input-usage`); `message_stop` ends with the
 * stop reason, the stop sequence that matched and the usage of `message_start` and
 * `message_delta` together. An `event: error`, a
 * body that is not the protocol, or a stream that stops before `message_stop` ends in an error.
 */
export async function* decodeAnthropicStream(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<ChatStreamEvent> {
  let open: OpenBlock | undefined;
  let startUsage: AnthropicUsage | undefined;
  let endUsage: AnthropicUsage | undefined;
  let stopReason: string | null | undefined;
  let stopSequence: string | null | undefined;
  const close = function* (): Generator<ChatStreamEvent> {
    const block = open;
    open = undefined;
    if (block === undefined) return;
    if (block.kind === 'text') yield block.citations.length > 0 ? { type: 'text-end', id: block.id, metadata: { provider: PROVIDER, citations: block.citations } } : { type: 'text-end', id: block.id };
    else if (block.kind === 'thinking') yield block.signature.length > 0 ? { type: 'reasoning-end', id: block.id, metadata: { provider: PROVIDER, signature: block.signature } } : { type: 'reasoning-end', id: block.id };
    else if (block.kind === 'redacted') yield { type: 'reasoning-end', id: block.id, metadata: { provider: PROVIDER, encrypted: block.data } };
    else if (block.kind === 'tool') yield { type: 'tool-call-end', id: block.id };
    else yield { type: 'provider-block-end', id: block.id, block: completeProviderBlock(block.block, block.json) };
  };
  try {
    for await (const sse of decodeSse(chunks)) {
      let payload: unknown;
      try {
        payload = JSON.parse(sse.data);
      } catch {
        throw new GatewayError('upstream', `the upstream sent an event that is not JSON: ${sse.data.slice(0, 200)}`);
      }
      const parsed = anthropicStreamEventSchema.safeParse(payload);
      if (!parsed.success) {
        const type = typeof payload === 'object' && payload !== null ? (payload as { type?: unknown }).type : undefined;
        if (typeof type === 'string' && !['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop', 'error'].includes(type)) continue;
        throw new GatewayError('upstream', `the upstream sent a malformed '${String(type)}' event: ${parsed.error.issues[0]?.message ?? ''}`);
      }
      const event = parsed.data;
      switch (event.type) {
        case 'message_start': {
          const start: ChatStreamEvent = { type: 'response-start', id: event.message.id };
          if (event.message.model !== undefined) start.model = event.message.model;
          yield start;
          if (event.message.usage !== undefined && event.message.usage !== null) {
            startUsage = event.message.usage;
            yield { type: 'input-usage', input: mapAnthropicInputUsage(startUsage) };
          }
          break;
        }
        case 'content_block_start': {
          yield* close();
          const id = String(event.index);
          const block = event.content_block as { type: string; text?: unknown; thinking?: unknown; data?: unknown; id?: unknown; name?: unknown };
          if (block.type === 'text') {
            open = { kind: 'text', id, citations: citationsOf((block as { citations?: unknown }).citations) ?? [] };
            yield { type: 'text-start', id };
            if (typeof block.text === 'string' && block.text.length > 0) yield { type: 'text-delta', id, text: block.text };
          } else if (block.type === 'thinking') {
            open = { kind: 'thinking', id, signature: '' };
            yield { type: 'reasoning-start', id };
            if (typeof block.thinking === 'string' && block.thinking.length > 0) yield { type: 'reasoning-delta', id, text: block.thinking };
          } else if (block.type === 'redacted_thinking') {
            open = { kind: 'redacted', id, data: typeof block.data === 'string' ? block.data : '' };
            yield { type: 'reasoning-start', id, redacted: true };
          } else if (block.type === 'tool_use') {
            open = { kind: 'tool', id };
            yield { type: 'tool-call-start', id, toolCallId: String(block.id), name: String(block.name) };
          } else {
            // Server tool calls and results (server_tool_use, web_search_tool_result…) pass through whole.
            const whole = { ...event.content_block };
            open = { kind: 'provider', id, block: whole, json: '' };
            yield { type: 'provider-block-start', id, provider: PROVIDER, block: whole };
          }
          break;
        }
        case 'content_block_delta': {
          const block = open;
          if (block === undefined || block.id !== String(event.index)) break;
          const delta = event.delta as { type: string; text?: unknown; thinking?: unknown; signature?: unknown; partial_json?: unknown };
          if (delta.type === 'text_delta' && block.kind === 'text' && typeof delta.text === 'string' && delta.text.length > 0) yield { type: 'text-delta', id: block.id, text: delta.text };
          else if (delta.type === 'thinking_delta' && block.kind === 'thinking' && typeof delta.thinking === 'string' && delta.thinking.length > 0) yield { type: 'reasoning-delta', id: block.id, text: delta.thinking };
          else if (delta.type === 'signature_delta' && block.kind === 'thinking' && typeof delta.signature === 'string') block.signature += delta.signature;
          else if (delta.type === 'input_json_delta' && block.kind === 'tool' && typeof delta.partial_json === 'string' && delta.partial_json.length > 0) yield { type: 'tool-call-delta', id: block.id, argumentsDelta: delta.partial_json };
          else if (delta.type === 'citations_delta' && block.kind === 'text') {
            const citation = (delta as { citation?: unknown }).citation;
            if (typeof citation === 'object' && citation !== null) block.citations.push(citation as Record<string, unknown>);
            yield { type: 'provider-block-delta', id: block.id, delta: { ...event.delta } };
          } else if (block.kind === 'provider') {
            if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') block.json += delta.partial_json;
            yield { type: 'provider-block-delta', id: block.id, delta: { ...event.delta } };
          }
          break;
        }
        case 'content_block_stop':
          if (open?.id === String(event.index)) yield* close();
          break;
        case 'message_delta':
          stopReason = event.delta.stop_reason;
          stopSequence = event.delta.stop_sequence;
          if (event.usage !== undefined && event.usage !== null) endUsage = event.usage;
          break;
        case 'message_stop': {
          yield* close();
          const finish: ChatStreamEvent = { type: 'finish', finishReason: mapAnthropicStopReason(stopReason), usage: mapAnthropicUsage(startUsage, endUsage) };
          if (stopReason !== undefined && stopReason !== null) finish.rawFinishReason = stopReason;
          if (typeof stopSequence === 'string') finish.stopSequence = stopSequence;
          yield finish;
          return;
        }
        case 'error':
          yield { type: 'error', error: mapAnthropicStreamError(event.error) };
          return;
        default:
          break;
      }
    }
    yield { type: 'error', error: new GatewayError('upstream', 'the upstream stream ended before the response was complete') };
  } catch (error) {
    yield { type: 'error', error: toGatewayError(error) };
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
