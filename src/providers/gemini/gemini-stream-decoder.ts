import { randomBytes } from 'node:crypto';
import type { ChatStreamEvent } from '../../canonical/chat-stream-event.ts';
import type { DegradedField } from '../../canonical/degraded-field.ts';
import type { FinishReason } from '../../canonical/finish-reason.ts';
import { GatewayError } from '../../canonical/gateway-error.ts';
import type { ProviderMetadata } from '../../canonical/provider-metadata.ts';
import type { Usage } from '../../canonical/usage.ts';
import type { SseEvent } from '../../wire/sse-decoder.ts';
import { SseParser } from '../../wire/sse-parser.ts';
import { FramedChatStreamDecoder } from '../shared/framed-chat-stream-decoder.ts';
import { ChatStreamBuilder } from '../chat-stream-builder.ts';
import { mapGeminiStreamError } from './map-gemini-error.ts';
import { geminiGenerateContentResponseSchema, type GeminiLogprobsResult, type GeminiUsageMetadata } from './gemini-response-schemas.ts';
import type { TokenLogprob } from '../../canonical/logprobs.ts';

/** Finish reasons that mean Gemini's safety or policy filters stopped the answer. */
const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION', 'LANGUAGE']);
/** Finish reasons that mean the model's function call went wrong. */
const BROKEN_CALL = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

export interface GeminiDecodeOptions {
  providerId: string;
  degraded?: DegradedField[];
  /** Told every signed function call, so the signature can go back when the client drops it. */
  onSignedToolCall?: (call: { id: string; name: string; arguments: string }, signature: string) => void;
}

/**
 * Gemini answers (one `generateContent` object, or the events of `streamGenerateContent?alt=sse`)
 * → canonical events, one network chunk (or one whole answer, `pushResponse`) at a time and
 * synchronously. Thought parts are reasoning, other text is text, each `functionCall` one
 * tool-call block; a `thoughtSignature` becomes `{provider:'gemini', signature}` metadata on the
 * tool-call start, or on the end of the text or reasoning block it signs. A blocked prompt
 * (`promptFeedback.blockReason`) and an answer stopped by a filter before any output are errors
 * naming the reason, never an empty answer.
 */
export class GeminiStreamDecoder extends FramedChatStreamDecoder<SseEvent> {
  private readonly options: GeminiDecodeOptions;
  private readonly builder = new ChatStreamBuilder();
  private started = false;
  private finishReason: string | undefined;
  private finishMessage: string | undefined;
  private usage: GeminiUsageMetadata | undefined;
  private sawToolCall = false;

  constructor(options: GeminiDecodeOptions) {
    super(new SseParser());
    this.options = options;
  }

  get isEnded(): boolean {
    return this.builder.isEnded;
  }

  /** One answer object (a whole `generateContent` answer, or one event's payload). */
  pushResponse(value: unknown): ChatStreamEvent[] {
    const out: ChatStreamEvent[] = [];
    if (this.builder.isEnded) return out;
    try {
      this.response(value, out);
    } catch (error) {
      out.push(...this.fail(error));
    }
    return out;
  }

  fail(error: unknown): ChatStreamEvent[] {
    if (this.builder.isEnded) return [];
    const out: ChatStreamEvent[] = [];
    this.start({}, out);
    const { providerId } = this.options;
    out.push(...this.builder.error(error instanceof GatewayError ? error : new GatewayError('upstream', `provider '${providerId}': ${error instanceof Error ? error.message : String(error)}`, { cause: error })));
    return out;
  }

  protected frame(event: SseEvent, out: ChatStreamEvent[]): void {
    if (event.data.trim() === '' || event.data === '[DONE]') return;
    let value: unknown;
    try {
      value = JSON.parse(event.data) as unknown;
    } catch {
      throw new GatewayError('upstream', `provider '${this.options.providerId}' sent an event that is not JSON: ${event.data.slice(0, 200)}`);
    }
    this.response(value, out);
  }

  protected complete(out: ChatStreamEvent[]): void {
    const builder = this.builder;
    const finishReason = this.finishReason;
    this.start({}, out);
    if (finishReason === undefined) {
      out.push(...builder.error(new GatewayError('upstream', `provider '${this.options.providerId}' (Gemini) ended its answer without a finish reason`)));
      return;
    }
    if (!builder.hasOutput && (FILTERED.has(finishReason) || BROKEN_CALL.has(finishReason))) {
      out.push(...builder.error(stoppedError(finishReason, this.finishMessage)));
      return;
    }
    const usage = this.usage;
    out.push(...builder.finish(mapFinishReason(finishReason, this.sawToolCall), { raw: finishReason, ...(usage === undefined ? {} : { usage: geminiUsage(usage) }) }));
  }

  private response(value: unknown, out: ChatStreamEvent[]): void {
    const builder = this.builder;
    const { providerId } = this.options;
    if (typeof value === 'object' && value !== null && 'error' in value) {
      this.start({}, out);
      out.push(...builder.error(mapGeminiStreamError(value, providerId)));
      return;
    }
    const parsed = geminiGenerateContentResponseSchema.safeParse(value);
    if (!parsed.success) throw new GatewayError('upstream', `provider '${providerId}' sent an answer llmux cannot read: ${JSON.stringify(value).slice(0, 200)}`);
    const response = parsed.data;
    this.start({ ...(response.responseId === undefined ? {} : { id: response.responseId }), ...(response.modelVersion === undefined ? {} : { model: response.modelVersion }) }, out);
    if (response.usageMetadata !== undefined) this.usage = response.usageMetadata;
    const blocked = response.promptFeedback?.blockReason;
    if (blocked !== undefined && (response.candidates ?? []).length === 0) {
      const detail = response.promptFeedback?.blockReasonMessage;
      out.push(
        ...builder.error(
          new GatewayError('invalid_request', `Gemini blocked the prompt (blockReason ${blocked})${detail === undefined ? '' : `: ${detail}`}`, { code: 'content_filter', param: 'messages', upstreamStatus: 200 }),
        ),
      );
      return;
    }
    const candidate = response.candidates?.[0];
    const parts = candidate?.content?.parts ?? [];
    // The event's log probabilities belong to its answer text (the last text part that is not a thought).
    const logprobs = candidate?.logprobsResult === undefined ? undefined : tokenLogprobs(candidate.logprobsResult);
    const lastText = parts.findLastIndex((part) => part.thought !== true && part.text !== undefined && part.text !== '');
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index] as (typeof parts)[number];
      const signed: ProviderMetadata | undefined = part.thoughtSignature === undefined ? undefined : { provider: 'gemini', signature: part.thoughtSignature };
      if (part.functionCall !== undefined) {
        this.sawToolCall = true;
        const toolCallId = part.functionCall.id ?? `call_${randomBytes(12).toString('base64url')}`;
        let metadata = signed;
        if (part.functionCall.id !== undefined) metadata = { provider: 'gemini', ...signed, itemId: part.functionCall.id };
        const argumentsText = JSON.stringify(part.functionCall.args ?? {});
        if (signed?.signature !== undefined) this.options.onSignedToolCall?.({ id: toolCallId, name: part.functionCall.name, arguments: argumentsText }, signed.signature);
        out.push(...builder.toolCallStart(toolCallId, part.functionCall.name, metadata));
        out.push(...builder.toolCallDelta(argumentsText));
        out.push(...builder.endBlock());
        continue;
      }
      if (part.inlineData !== undefined) {
        out.push(...builder.file(`data:${part.inlineData.mimeType};base64,${part.inlineData.data}`, { mediaType: part.inlineData.mimeType, ...(signed === undefined ? {} : { metadata: signed }) }));
        continue;
      }
      const kind = part.thought === true ? 'reasoning' : 'text';
      if (part.text !== undefined && part.text !== '') out.push(...(kind === 'reasoning' ? builder.reasoning(part.text) : builder.text(part.text, index === lastText ? logprobs : undefined)));
      if (signed !== undefined && !builder.attachMetadata(kind, signed) && !builder.attachMetadata(kind === 'text' ? 'reasoning' : 'text', signed)) {
        // A signature on an empty part with nothing open: the model's hidden thinking, kept for replay.
        out.push(...builder.redactedReasoning(signed));
      }
    }
    if (candidate?.finishReason !== undefined) {
      this.finishReason = candidate.finishReason;
      this.finishMessage = candidate.finishMessage;
    }
  }

  /** The response's start, once, before its first event. */
  private start(details: { id?: string; model?: string }, out: ChatStreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    out.push(...this.builder.start({ ...details, degraded: this.options.degraded ?? [] }));
  }
}

function stoppedError(reason: string, message: string | undefined): GatewayError {
  const suffix = message === undefined ? '' : `: ${message}`;
  if (BROKEN_CALL.has(reason)) return new GatewayError('upstream', `Gemini's answer was a function call it could not form (finishReason ${reason})${suffix}`, { code: reason.toLowerCase() });
  return new GatewayError('invalid_request', `Gemini stopped the answer before any output (finishReason ${reason})${suffix}`, { code: 'content_filter', upstreamStatus: 200 });
}

function mapFinishReason(reason: string, sawToolCall: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content-filter';
  if (BROKEN_CALL.has(reason)) return 'error';
  if (reason === 'STOP') return sawToolCall ? 'tool-calls' : 'stop';
  return 'other';
}

/**
 * `usageMetadata` in canonical terms: the prompt (tool-use prompt tokens included) with its cached
 * part, the output as candidates plus thoughts (Gemini counts thoughts apart).
 */
export function geminiUsage(metadata: GeminiUsageMetadata): Usage {
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  const usage: Usage = {
    input: { total: (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0) },
    output: { total: (metadata.candidatesTokenCount ?? 0) + thoughts },
    source: 'upstream',
    raw: metadata,
  };
  if (metadata.cachedContentTokenCount !== undefined) usage.input.cacheRead = metadata.cachedContentTokenCount;
  if (metadata.thoughtsTokenCount !== undefined) usage.output.reasoning = thoughts;
  return usage;
}

/** Gemini's `logprobsResult` as canonical token log probabilities, alternatives matched by step. */
function tokenLogprobs(result: GeminiLogprobsResult): TokenLogprob[] {
  return (result.chosenCandidates ?? []).map((chosen, step) => {
    const out: TokenLogprob = { token: chosen.token ?? '', logprob: chosen.logProbability ?? 0 };
    const top = result.topCandidates?.[step]?.candidates;
    if (top !== undefined) out.top = top.map((candidate) => ({ token: candidate.token ?? '', logprob: candidate.logProbability ?? 0 }));
    return out;
  });
}
