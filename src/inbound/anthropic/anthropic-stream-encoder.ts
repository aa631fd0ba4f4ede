import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { ProviderMetadata } from '../../canonical/provider-metadata.ts';
import type { InputUsage } from '../../canonical/usage.ts';
import { EventByEventEncoder } from '../chat-stream-encoder.ts';
import { anthropicErrorBody } from './anthropic-error-response.ts';
import { encodeAnthropicSignature } from './anthropic-signature.ts';
import { anthropicMessageId } from './anthropic-message-id.ts';
import { fileAsAnthropicText } from './file-as-anthropic-text.ts';
import { toAnthropicStopReason } from './to-anthropic-stop-reason.ts';
import { toAnthropicDeltaUsage, toAnthropicUsage } from './to-anthropic-usage.ts';

export interface AnthropicStreamOptions {
  /** The model name the client asked for. */
  model: string;
  /**
   * Counts the prompt with llmux's tokenizer, for `message_start` when the upstream reports its
   * count only at the end (chat-completions upstreams); called only then.
   */
  countInput?: () => InputUsage;
}

/** Anthropic's keep-alive event, byte for byte as api.anthropic.com sends it. */
export const ANTHROPIC_PING = 'event: ping\ndata: {"type": "ping"}\n\n';

type OpenBlock = { kind: 'text' | 'thinking' | 'tool_use' | 'provider'; id: string };

/**
 * Canonical events → the Messages API's server-sent events, in the exact sequence Anthropic sends
 * (docs.anthropic.com "Streaming Messages"; anthropic-sdk-typescript MessageStream accumulates
 * them): `message_start` with the prompt's usage; per block `content_block_start`, its deltas
 * (`text_delta`, `thinking_delta` then `signature_delta`, `input_json_delta`) and
 * `content_block_stop`, one block after another with indexes from 0 (an Anthropic upstream's
 * server tool blocks as they came); `message_delta` with the stop reason, the stop sequence that
 * matched (null where the upstream did not say) and usage; `message_stop`. A failure becomes `event: error` in Anthropic's shape, never a
 * silent `message_stop`.
 */
export class AnthropicStreamEncoder extends EventByEventEncoder {
  private readonly options: AnthropicStreamOptions;
  private id: string | undefined;
  private input: InputUsage | undefined;
  /** The tier the upstream named at the start, for `message_start`'s usage (where Anthropic says it). */
  private serviceTier: string | undefined;
  private started = false;
  private open: OpenBlock | undefined;
  private nextIndex = 0;
  /** Prefix of every delta of the open block: `event: content_block_delta\ndata: {…,"index":N,"delta":` */
  private deltaHead = '';
  private redactedId: string | undefined;
  private calledTools = false;
  /** Whether the open block got provider deltas as they came (an Anthropic upstream's `citations_delta`). */
  private relayedDeltas = false;

  constructor(options: AnthropicStreamOptions) {
    super();
    this.options = options;
  }

  encode(event: ChatStreamEvent): string {
    if (this.ended) return '';
    switch (event.type) {
      case 'response-start':
        if (!this.started && event.id !== undefined && event.id.length > 0) this.id = event.id;
        if (!this.started && event.serviceTier !== undefined) this.serviceTier = event.serviceTier;
        return '';
      case 'input-usage':
        if (!this.started) this.input = event.input;
        return '';
      case 'text-start':
        return this.start() + this.openBlock('text', event.id, '{"type":"text","text":""}');
      case 'text-delta':
        return this.start() + this.ensure('text', event.id, '{"type":"text","text":""}') + this.deltaHead + '{"type":"text_delta","text":' + JSON.stringify(event.text) + '}}\n\n';
      case 'text-end':
        return this.open?.id === event.id ? this.citationDeltas(event.metadata) + this.closeOpen() : '';
      case 'reasoning-start':
        if (event.redacted === true) {
          this.redactedId = event.id;
          return this.start() + this.closeOpen();
        }
        return this.start() + this.openBlock('thinking', event.id, '{"type":"thinking","thinking":"","signature":""}');
      case 'reasoning-delta':
        return this.start() + this.ensure('thinking', event.id, '{"type":"thinking","thinking":"","signature":""}') + this.deltaHead + '{"type":"thinking_delta","thinking":' + JSON.stringify(event.text) + '}}\n\n';
      case 'reasoning-end':
        return this.start() + this.endReasoning(event.id, event.metadata);
      case 'tool-call-start':
        this.calledTools = true;
        return this.start() + this.openBlock('tool_use', event.id, '{"type":"tool_use","id":' + JSON.stringify(event.toolCallId) + ',"name":' + JSON.stringify(event.name) + ',"input":{}}');
      case 'tool-call-delta':
        if (this.open?.id !== event.id) return '';
        return this.deltaHead + '{"type":"input_json_delta","partial_json":' + JSON.stringify(event.argumentsDelta) + '}}\n\n';
      case 'tool-call-end':
        return this.closeBlock(event.id);
      case 'provider-block-start':
        return this.start() + this.openBlock('provider', event.id, JSON.stringify(event.block));
      case 'provider-block-delta':
        if (this.open?.id !== event.id) return '';
        this.relayedDeltas = true;
        return this.deltaHead + JSON.stringify(event.delta) + '}\n\n';
      case 'provider-block-end':
        return this.closeBlock(event.id);
      case 'file': {
        const text = this.start() + this.openBlock('text', `file-${this.nextIndex}`, '{"type":"text","text":""}');
        return text + this.deltaHead + '{"type":"text_delta","text":' + JSON.stringify(fileAsAnthropicText(event)) + '}}\n\n' + this.closeOpen();
      }
      case 'finish': {
        const head = this.start() + this.closeOpen();
        this.ended = true;
        const stopReason = toAnthropicStopReason(event.finishReason, event.rawFinishReason, this.calledTools, event.stopSequence);
        const usage = toAnthropicDeltaUsage(event.usage?.input ?? this.input, event.usage?.output.total ?? 0, event.usage?.serverToolRequests);
        return (
          head +
          'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"' +
          stopReason +
          '","stop_sequence":' +
          (event.stopSequence === undefined ? 'null' : JSON.stringify(event.stopSequence)) +
          '},"usage":' +
          JSON.stringify(usage) +
          '}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n'
        );
      }
      case 'error':
        this.ended = true;
        return 'event: error\ndata: ' + JSON.stringify(anthropicErrorBody(event.error)) + '\n\n';
      default:
        return '';
    }
  }


  /**
   * A `ping` while the upstream is silent (a long thinking pause, a slow tool-call argument, or
   * routing still waiting on an upstream: then the stream opens with `message_start`); nothing once
   * the stream has ended.
   */
  keepAlive(): string {
    return this.ended ? '' : this.start() + ANTHROPIC_PING;
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const usage = toAnthropicUsage(this.input ?? this.options.countInput?.(), 0, undefined, this.serviceTier);
    const message = {
      id: anthropicMessageId(this.id),
      type: 'message',
      role: 'assistant',
      model: this.options.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    };
    return 'event: message_start\ndata: {"type":"message_start","message":' + JSON.stringify(message) + '}\n\n';
  }

  private openBlock(kind: OpenBlock['kind'], id: string, contentBlock: string): string {
    const closed = this.closeOpen();
    const index = this.nextIndex++;
    this.open = { kind, id };
    this.relayedDeltas = false;
    this.deltaHead = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":' + index + ',"delta":';
    return closed + 'event: content_block_start\ndata: {"type":"content_block_start","index":' + index + ',"content_block":' + contentBlock + '}\n\n';
  }

  /** A delta for a block that was never started (a provider that skipped the start) opens it. */
  private ensure(kind: OpenBlock['kind'], id: string, contentBlock: string): string {
    if (this.open?.kind === kind && this.open.id === id) return '';
    return this.openBlock(kind, id, contentBlock);
  }

  private closeBlock(id: string): string {
    if (this.open?.id !== id) return '';
    return this.closeOpen();
  }

  private closeOpen(): string {
    if (this.open === undefined) return '';
    this.open = undefined;
    return 'event: content_block_stop\ndata: {"type":"content_block_stop","index":' + (this.nextIndex - 1) + '}\n\n';
  }

  /** A text's citations, one `citations_delta` each, where they were not streamed as they came (a replayed answer). */
  private citationDeltas(metadata: ProviderMetadata | undefined): string {
    if (this.relayedDeltas || metadata?.citations === undefined) return '';
    let text = '';
    for (const citation of metadata.citations) text += this.deltaHead + '{"type":"citations_delta","citation":' + JSON.stringify(citation) + '}}\n\n';
    return text;
  }

  /** A thinking block ends with its signature; a redacted one is sent whole, as the API sends it. */
  private endReasoning(id: string, metadata: ProviderMetadata | undefined): string {
    if (this.redactedId === id) {
      this.redactedId = undefined;
      const data = encodeAnthropicSignature(metadata, 'encrypted');
      if (data.length === 0) return '';
      return this.openBlock('thinking', id, '{"type":"redacted_thinking","data":' + JSON.stringify(data) + '}') + this.closeOpen();
    }
    if (this.open?.id !== id) return '';
    const signature = encodeAnthropicSignature(metadata);
    const delta = signature.length === 0 ? '' : this.deltaHead + '{"type":"signature_delta","signature":' + JSON.stringify(signature) + '}}\n\n';
    return delta + this.closeOpen();
  }
}

/** Anthropic sends a `ping` when a stream has been quiet; clients and proxies then keep it open. */
export const DEFAULT_PING_INTERVAL_MS = 10_000;
