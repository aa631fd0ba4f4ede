import type { ProviderBlockPart } from '../canonical/chat-message.ts';
import type { ChatStreamEvent, ResponseStart } from '../canonical/chat-stream-event.ts';
import type { DegradedField } from '../canonical/degraded-field.ts';
import type { FinishReason } from '../canonical/finish-reason.ts';
import type { GatewayError } from '../canonical/gateway-error.ts';
import type { TokenLogprob } from '../canonical/logprobs.ts';
import type { ProviderMetadata } from '../canonical/provider-metadata.ts';
import type { Timing } from '../canonical/timing.ts';
import type { InputUsage, Usage } from '../canonical/usage.ts';

type OpenBlock =
  | { kind: 'text'; id: string }
  | { kind: 'reasoning'; id: string; redacted: boolean }
  | { kind: 'tool-call'; id: string; toolCallId: string };

export interface FinishDetails {
  raw?: string;
  /** The stop sequence that ended the answer, where the upstream said which. */
  stopSequence?: string;
  usage?: Usage;
  timing?: Timing;
}

/**
 * Helps a provider's stream decoder emit well-formed canonical events: it gives every block an id,
 * keeps blocks strictly sequential (whatever starts closes the block that was open — text,
 * reasoning or a tool call), and guarantees one terminal event. Each method returns the events to
 * yield, in order (`yield* builder.text(delta)`).
 */
export class ChatStreamBuilder {
  private open: OpenBlock | undefined;
  private nextBlock = 0;
  private ended = false;
  /** Metadata for the open block's end, set while it is open (a signature that arrives as a delta). */
  private pendingMetadata: ProviderMetadata | undefined;
  /** Whether anything the client would see (text, reasoning, tool call, file) was emitted. */
  hasOutput = false;

  get isEnded(): boolean {
    return this.ended;
  }

  /** The response's first event, with the fields the provider could not honour. */
  start(details: ResponseStart = {}): ChatStreamEvent[] {
    const event: ChatStreamEvent = { type: 'response-start' };
    if (details.id !== undefined) event.id = details.id;
    if (details.model !== undefined) event.model = details.model;
    if (details.created !== undefined) event.created = details.created;
    if (details.serviceTier !== undefined) event.serviceTier = details.serviceTier;
    if (details.systemFingerprint !== undefined) event.systemFingerprint = details.systemFingerprint;
    if (details.degraded !== undefined && details.degraded.length > 0) event.degraded = details.degraded;
    return [event];
  }

  /** Prompt tokens known before any output. */
  inputUsage(input: InputUsage): ChatStreamEvent[] {
    if (this.ended) return [];
    return [{ type: 'input-usage', input }];
  }

  text(delta: string, logprobs?: TokenLogprob[]): ChatStreamEvent[] {
    if (delta.length === 0 || this.ended) return [];
    this.hasOutput = true;
    const events: ChatStreamEvent[] = [];
    let block = this.open;
    if (block?.kind !== 'text') {
      events.push(...this.closeOpen());
      block = { kind: 'text', id: this.newId() };
      this.open = block;
      events.push({ type: 'text-start', id: block.id });
    }
    const event: ChatStreamEvent = { type: 'text-delta', id: block.id, text: delta };
    if (logprobs !== undefined && logprobs.length > 0) event.logprobs = logprobs;
    events.push(event);
    return events;
  }

  reasoning(delta: string): ChatStreamEvent[] {
    if (delta.length === 0 || this.ended) return [];
    this.hasOutput = true;
    const block = this.open;
    if (block?.kind === 'reasoning' && !block.redacted) return [{ type: 'reasoning-delta', id: block.id, text: delta }];
    const events = this.closeOpen();
    const id = this.newId();
    this.open = { kind: 'reasoning', id, redacted: false };
    events.push({ type: 'reasoning-start', id }, { type: 'reasoning-delta', id, text: delta });
    return events;
  }

  /**
   * Provider state for the open text or reasoning block, sent on its end (a thinking signature
   * that arrives after the text). Without an open block of that kind it is attached to nothing and
   * returns false, for the caller to decide.
   */
  attachMetadata(kind: 'text' | 'reasoning', metadata: ProviderMetadata): boolean {
    if (this.open?.kind !== kind) return false;
    this.pendingMetadata = { ...this.pendingMetadata, ...metadata };
    return true;
  }

  /** A whole reasoning block with no readable text (Anthropic `redacted_thinking`). */
  redactedReasoning(metadata: ProviderMetadata): ChatStreamEvent[] {
    if (this.ended) return [];
    this.hasOutput = true;
    const events = this.closeOpen();
    const id = this.newId();
    events.push({ type: 'reasoning-start', id, redacted: true }, { type: 'reasoning-end', id, metadata });
    return events;
  }

  /** Starts a tool call, closing whatever block was open (a call ends when the next block starts). */
  toolCallStart(toolCallId: string, name: string, metadata?: ProviderMetadata): ChatStreamEvent[] {
    if (this.ended) return [];
    this.hasOutput = true;
    const events = this.closeOpen();
    const id = this.newId();
    this.open = { kind: 'tool-call', id, toolCallId };
    const event: ChatStreamEvent = { type: 'tool-call-start', id, toolCallId, name };
    if (metadata !== undefined) event.metadata = metadata;
    events.push(event);
    return events;
  }

  /** Arguments for the open tool call; nothing when no call is open. */
  toolCallDelta(argumentsDelta: string): ChatStreamEvent[] {
    const block = this.open;
    if (this.ended || argumentsDelta.length === 0 || block?.kind !== 'tool-call') return [];
    return [{ type: 'tool-call-delta', id: block.id, argumentsDelta }];
  }

  /** The id of the tool call being streamed, if one is open. */
  get openToolCallId(): string | undefined {
    return this.open?.kind === 'tool-call' ? this.open.toolCallId : undefined;
  }

  /** Closes the open block, whatever it is. */
  endBlock(): ChatStreamEvent[] {
    return this.closeOpen();
  }

  file(url: string, details: { mediaType?: string; name?: string; metadata?: ProviderMetadata } = {}): ChatStreamEvent[] {
    if (this.ended) return [];
    this.hasOutput = true;
    const events = this.closeOpen();
    const event: ChatStreamEvent = { type: 'file', url };
    if (details.mediaType !== undefined) event.mediaType = details.mediaType;
    if (details.name !== undefined) event.name = details.name;
    if (details.metadata !== undefined) event.metadata = details.metadata;
    events.push(event);
    return events;
  }

  /** A whole block only one provider type understands (see ProviderBlockPart), closing the open block. */
  providerBlock(provider: string, block: ProviderBlockPart['block']): ChatStreamEvent[] {
    if (this.ended) return [];
    this.hasOutput = true;
    const events = this.closeOpen();
    const id = this.newId();
    events.push({ type: 'provider-block-start', id, provider, block }, { type: 'provider-block-end', id, block });
    return events;
  }

  finish(finishReason: FinishReason, details: FinishDetails = {}): ChatStreamEvent[] {
    if (this.ended) return [];
    const events = this.closeOpen();
    this.ended = true;
    const finish: ChatStreamEvent = { type: 'finish', finishReason };
    if (details.raw !== undefined) finish.rawFinishReason = details.raw;
    if (details.stopSequence !== undefined) finish.stopSequence = details.stopSequence;
    if (details.usage !== undefined) finish.usage = details.usage;
    if (details.timing !== undefined) finish.timing = details.timing;
    events.push(finish);
    return events;
  }

  error(error: GatewayError): ChatStreamEvent[] {
    if (this.ended) return [];
    const events = this.closeOpen();
    this.ended = true;
    events.push({ type: 'error', error });
    return events;
  }

  private newId(): string {
    return String(this.nextBlock++);
  }

  private closeOpen(): ChatStreamEvent[] {
    const block = this.open;
    if (block === undefined) return [];
    this.open = undefined;
    const metadata = this.pendingMetadata;
    this.pendingMetadata = undefined;
    if (block.kind === 'tool-call') return [{ type: 'tool-call-end', id: block.id }];
    const event: ChatStreamEvent = block.kind === 'text' ? { type: 'text-end', id: block.id } : { type: 'reasoning-end', id: block.id };
    if (metadata !== undefined) event.metadata = metadata;
    return [event];
  }
}
