import type { ChatStreamEvent } from '../../../canonical/chat-stream-event.ts';
import type { FinishReason } from '../../../canonical/finish-reason.ts';
import type { GatewayError } from '../../../canonical/gateway-error.ts';
import type { TokenLogprob } from '../../../canonical/logprobs.ts';
import type { ProviderMetadata } from '../../../canonical/provider-metadata.ts';
import type { Usage } from '../../../canonical/usage.ts';
import type { JsonObject } from '../../../state/response-store.ts';
import { EventByEventEncoder } from '../../chat-stream-encoder.ts';
import { fileAsMarkdown } from '../file-as-markdown.ts';
import { newOpenAIId } from '../new-openai-id.ts';
import { encodeEncryptedContent } from './responses-encrypted-content.ts';
import { finishedServiceTier, toResponsesUsage, type ResponsesStatus } from './responses-envelope.ts';
import { toResponsesLogprobs, type ResponsesLogprob } from './to-responses-logprobs.ts';

export interface ResponsesStreamOptions {
  /** Reasoning as `summary_text` (the client asked for a reasoning summary) or as `reasoning_text` content. */
  reasoningAsSummary: boolean;
  /** Item ids (`msg_…`, `rs_…`, `fc_…`); fresh random ones unless a test fixes them. */
  newId?: (prefix: string) => string;
  /**
   * Runs before the batch with the terminal event is handed on (the response is stored by then, so
   * a client can continue from it as soon as it has read the event).
   */
  beforeEnd?: () => Promise<void>;
}

/** An output item being streamed; `deltaFields` is its delta events' text after the sequence number, up to the delta itself. */
type OpenItem =
  | { kind: 'message'; id: string; index: number; text: string; deltaFields: string; logprobs: ResponsesLogprob[] }
  | { kind: 'reasoning'; id: string; index: number; text: string; deltaFields: string; redacted: boolean; metadata?: ProviderMetadata }
  | { kind: 'function_call'; id: string; index: number; callId: string; name: string; arguments: string; deltaFields: string };

const TEXT_DELTA = 'response.output_text.delta';
const TEXT_DELTA_HEAD = `event: ${TEXT_DELTA}\ndata: {"type":"${TEXT_DELTA}","sequence_number":`;
const TEXT_DELTA_TAIL = ',"logprobs":[]}\n\n';

const TEXT_PART = { type: 'output_text', annotations: [], logprobs: [], text: '' };

/**
 * Canonical events → the Responses API's server-sent events, as api.openai.com streams them
 * (openai-node src/resources/responses/responses.ts, ResponseStreamEvent; the SDK's
 * ResponseAccumulator rebuilds the response from them): `response.created`,
 * `response.in_progress`, then per output item `response.output_item.added`, its parts and
 * deltas, `response.output_item.done`; last `response.completed`, `response.incomplete` (a length
 * or content-filter stop) or `response.failed` (with the error). Every event carries a
 * `sequence_number` from 0, and a stream always ends with one of the three terminal events.
 * Codex reads output items from `response.output_item.done` and the usage from the terminal
 * event (codex-rs codex-api/src/sse/responses.rs).
 *
 * The encoder also keeps the final Response object, which is what gets stored and what a
 * non-streamed request answers.
 */
export class ResponsesStreamEncoder extends EventByEventEncoder {
  private readonly envelope: JsonObject;
  private readonly reasoningAsSummary: boolean;
  private readonly newId: (prefix: string) => string;
  private readonly output: JsonObject[] = [];
  private sequence = 0;
  private open: OpenItem | undefined;
  private started = false;
  private final: JsonObject;
  /** The tier the upstream says served the request: the finished Response's `service_tier` (in progress, the envelope's: the tier asked for). */
  private serviceTier: string | undefined;
  private readonly beforeEnd: (() => Promise<void>) | undefined;
  private tail: Promise<string> | undefined;

  constructor(envelope: JsonObject, options: ResponsesStreamOptions) {
    super();
    this.envelope = envelope;
    this.reasoningAsSummary = options.reasoningAsSummary;
    this.newId = options.newId ?? newOpenAIId;
    this.beforeEnd = options.beforeEnd;
    this.final = this.snapshot('in_progress');
  }

  /** The Response object as it stands: complete once the stream has ended. */
  get response(): JsonObject {
    return this.final;
  }

  /** The SSE text for one canonical event (possibly empty). */
  encode(event: ChatStreamEvent): string {
    if (this.ended) return '';
    switch (event.type) {
      case 'response-start':
        if (event.serviceTier !== undefined) this.serviceTier = event.serviceTier;
        return this.start();
      case 'text-start':
        return this.start() + this.openMessage();
      case 'text-delta':
        return this.start() + this.appendText(event.text, event.logprobs);
      case 'reasoning-start':
        return this.start() + this.openReasoning(event.redacted === true);
      case 'reasoning-delta':
        return this.start() + this.appendReasoning(event.text);
      case 'reasoning-end':
        if (this.open?.kind === 'reasoning' && event.metadata !== undefined) this.open.metadata = event.metadata;
        return this.close('completed');
      case 'text-end':
        return this.close('completed');
      case 'tool-call-start':
        return this.start() + this.close('completed') + this.openFunctionCall(event.toolCallId, event.name);
      case 'tool-call-delta':
        return this.appendArguments(event.argumentsDelta);
      case 'tool-call-end':
        return this.open?.kind === 'function_call' ? this.close('completed') : '';
      case 'file': {
        // A file the model produced has no output item of its own; like chat, it is given as Markdown in the text.
        const separator = this.open?.kind === 'message' && this.open.text.length > 0 ? '\n\n' : '';
        return this.start() + this.appendText(separator + fileAsMarkdown(event), undefined);
      }
      case 'finish':
        return this.finish(event.finishReason, event.usage);
      case 'error':
        return this.fail(event.error);
      default:
        return '';
    }
  }

  /**
   * The SSE text for one batch: one write per upstream network chunk. The batch that brings the
   * terminal event is held until `beforeEnd` is done, and then leaves whole (see `ending`).
   */
  override encodeBatch(batch: readonly ChatStreamEvent[]): string {
    const text = super.encodeBatch(batch);
    if (!this.ended || this.beforeEnd === undefined || this.tail !== undefined) return text;
    this.tail = this.beforeEnd().then(
      () => text,
      () => text,
    );
    return '';
  }

  ending(): Promise<string> | undefined {
    return this.tail;
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const response = JSON.stringify(this.snapshot('in_progress'));
    return this.frame('response.created', '"response":' + response) + this.frame('response.in_progress', '"response":' + response);
  }

  private openMessage(): string {
    const text = this.close('completed');
    const id = this.newId('msg_');
    const index = this.output.length;
    const item: OpenItem = { kind: 'message', id, index, text: '', deltaFields: `,"item_id":"${id}","output_index":${index},"content_index":0,"delta":`, logprobs: [] };
    this.open = item;
    const added = { id: item.id, type: 'message', status: 'in_progress', content: [], role: 'assistant' };
    return (
      text +
      this.frame('response.output_item.added', '"output_index":' + item.index + ',"item":' + JSON.stringify(added)) +
      this.frame('response.content_part.added', this.itemFields(item) + ',"content_index":0,"part":' + JSON.stringify(TEXT_PART))
    );
  }

  /** The hot path: one concatenation around text built when the item opened. */
  private appendText(delta: string, logprobs: readonly TokenLogprob[] | undefined): string {
    const opened = this.open?.kind === 'message' ? '' : this.openMessage();
    const item = this.open as Extract<OpenItem, { kind: 'message' }>;
    item.text += delta;
    if (logprobs === undefined) return opened + TEXT_DELTA_HEAD + this.sequence++ + item.deltaFields + JSON.stringify(delta) + TEXT_DELTA_TAIL;
    const converted = toResponsesLogprobs(logprobs);
    item.logprobs.push(...converted);
    return opened + TEXT_DELTA_HEAD + this.sequence++ + item.deltaFields + JSON.stringify(delta) + ',"logprobs":' + JSON.stringify(converted) + '}\n\n';
  }

  private openReasoning(redacted: boolean): string {
    const text = this.close('completed');
    const id = this.newId('rs_');
    const index = this.output.length;
    const indexField = this.reasoningAsSummary ? '"summary_index":0' : '"content_index":0';
    const item: OpenItem = { kind: 'reasoning', id, index, text: '', deltaFields: `,"item_id":"${id}","output_index":${index},${indexField},"delta":`, redacted };
    this.open = item;
    const fields = this.itemFields(item);
    const added = { id: item.id, type: 'reasoning', summary: [] };
    let events = text + this.frame('response.output_item.added', '"output_index":' + item.index + ',"item":' + JSON.stringify(added));
    // Redacted reasoning has no text: the item carries only its encrypted content.
    if (redacted) return events;
    if (this.reasoningAsSummary) events += this.frame('response.reasoning_summary_part.added', fields + ',"summary_index":0,"part":{"type":"summary_text","text":""}');
    else events += this.frame('response.content_part.added', fields + ',"content_index":0,"part":{"type":"reasoning_text","text":""}');
    return events;
  }

  private appendReasoning(delta: string): string {
    const opened = this.open?.kind === 'reasoning' ? '' : this.openReasoning(false);
    const item = this.open as Extract<OpenItem, { kind: 'reasoning' }>;
    item.text += delta;
    const type = this.reasoningAsSummary ? 'response.reasoning_summary_text.delta' : 'response.reasoning_text.delta';
    return opened + 'event: ' + type + '\ndata: {"type":"' + type + '","sequence_number":' + this.sequence++ + item.deltaFields + JSON.stringify(delta) + '}\n\n';
  }

  private openFunctionCall(callId: string, name: string): string {
    const id = this.newId('fc_');
    const index = this.output.length;
    const item: OpenItem = { kind: 'function_call', id, index, callId, name, arguments: '', deltaFields: `,"item_id":"${id}","output_index":${index},"delta":` };
    this.open = item;
    const added = { id: item.id, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name };
    return this.frame('response.output_item.added', '"output_index":' + item.index + ',"item":' + JSON.stringify(added));
  }

  private appendArguments(delta: string): string {
    if (this.open?.kind !== 'function_call') return '';
    this.open.arguments += delta;
    const type = 'response.function_call_arguments.delta';
    return 'event: ' + type + '\ndata: {"type":"' + type + '","sequence_number":' + this.sequence++ + this.open.deltaFields + JSON.stringify(delta) + '}\n\n';
  }

  /** Ends the open item: its `.done` events and `response.output_item.done`. */
  private close(status: 'completed' | 'incomplete'): string {
    const item = this.open;
    if (item === undefined) return '';
    this.open = undefined;
    const fields = this.itemFields(item);
    const done = this.finishedItem(item, status);
    this.output.push(done);
    let events = '';
    if (item.kind === 'message') {
      const part = { ...TEXT_PART, logprobs: item.logprobs, text: item.text };
      events += this.frame('response.output_text.done', fields + ',"content_index":0,"text":' + JSON.stringify(item.text) + ',"logprobs":' + JSON.stringify(item.logprobs));
      events += this.frame('response.content_part.done', fields + ',"content_index":0,"part":' + JSON.stringify(part));
    } else if (item.kind === 'reasoning') {
      const text = JSON.stringify(item.text);
      if (item.redacted) return events + this.frame('response.output_item.done', '"output_index":' + item.index + ',"item":' + JSON.stringify(done));
      if (this.reasoningAsSummary) {
        events += this.frame('response.reasoning_summary_text.done', fields + ',"summary_index":0,"text":' + text);
        events += this.frame('response.reasoning_summary_part.done', fields + ',"summary_index":0,"part":{"type":"summary_text","text":' + text + '}');
      } else {
        events += this.frame('response.reasoning_text.done', fields + ',"content_index":0,"text":' + text);
        events += this.frame('response.content_part.done', fields + ',"content_index":0,"part":{"type":"reasoning_text","text":' + text + '}');
      }
    } else {
      events += this.frame('response.function_call_arguments.done', fields + ',"name":' + JSON.stringify(item.name) + ',"arguments":' + JSON.stringify(item.arguments));
    }
    return events + this.frame('response.output_item.done', '"output_index":' + item.index + ',"item":' + JSON.stringify(done));
  }

  private finishedItem(item: OpenItem, status: 'completed' | 'incomplete'): JsonObject {
    switch (item.kind) {
      case 'message':
        return { id: item.id, type: 'message', status, content: [{ ...TEXT_PART, logprobs: item.logprobs, text: item.text }], role: 'assistant' };
      case 'reasoning': {
        const done: JsonObject = { id: item.id, type: 'reasoning', summary: [] };
        if (!item.redacted) {
          if (this.reasoningAsSummary) done['summary'] = [{ type: 'summary_text', text: item.text }];
          else done['content'] = [{ type: 'reasoning_text', text: item.text }];
        }
        // Always carried when there is provider state: without it a later turn's reasoning cannot be verified upstream.
        if (item.metadata !== undefined) done['encrypted_content'] = encodeEncryptedContent(item.metadata, item.redacted);
        return done;
      }
      case 'function_call':
        return { id: item.id, type: 'function_call', status, arguments: item.arguments.length > 0 ? item.arguments : '{}', call_id: item.callId, name: item.name };
    }
  }

  private finish(reason: FinishReason, usage: Usage | undefined): string {
    const incomplete = reason === 'length' || reason === 'content-filter';
    const events = this.start() + this.close(incomplete ? 'incomplete' : 'completed');
    this.ended = true;
    const status: ResponsesStatus = incomplete ? 'incomplete' : 'completed';
    this.final = this.snapshot(status);
    this.final['usage'] = toResponsesUsage(usage);
    if (incomplete) this.final['incomplete_details'] = { reason: reason === 'length' ? 'max_output_tokens' : 'content_filter' };
    return events + this.frame(incomplete ? 'response.incomplete' : 'response.completed', '"response":' + JSON.stringify(this.final));
  }

  private fail(error: GatewayError): string {
    const events = this.start();
    if (this.open !== undefined) {
      this.output.push(this.finishedItem(this.open, 'incomplete'));
      this.open = undefined;
    }
    this.ended = true;
    this.final = this.snapshot('failed');
    this.final['error'] = { code: error.code ?? (error.kind === 'rate_limit' ? 'rate_limit_exceeded' : 'server_error'), message: error.message };
    return events + this.frame('response.failed', '"response":' + JSON.stringify(this.final));
  }

  private snapshot(status: ResponsesStatus): JsonObject {
    const snapshot: JsonObject = { ...this.envelope, status, output: [...this.output] };
    if (status !== 'in_progress') snapshot['service_tier'] = finishedServiceTier(this.serviceTier);
    return snapshot;
  }

  private itemFields(item: OpenItem): string {
    return '"item_id":"' + item.id + '","output_index":' + item.index;
  }

  private frame(type: string, fields: string): string {
    return 'event: ' + type + '\ndata: {"type":"' + type + '","sequence_number":' + this.sequence++ + ',' + fields + '}\n\n';
  }
}
