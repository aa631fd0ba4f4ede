import type { ProviderBlockPart } from './chat-message.ts';
import type { DegradedField } from './degraded-field.ts';
import type { FinishReason } from './finish-reason.ts';
import type { GatewayError } from './gateway-error.ts';
import type { TokenLogprob } from './logprobs.ts';
import type { ProviderMetadata } from './provider-metadata.ts';
import type { Timing } from './timing.ts';
import type { InputUsage, Usage } from './usage.ts';

/** What a stream's `response-start` says of the answer, before any output. */
export interface ResponseStart {
  id?: string;
  /** The upstream model that answered. */
  model?: string;
  created?: number;
  /**
   * The tier that served the request, where the upstream names one, in its own word (OpenAI-compatible
   * `service_tier`: `default`, `flex`, `priority`…; Anthropic `usage.service_tier`: `standard`,
   * `priority`, `batch`): each inbound protocol says it in its own words.
   */
  serviceTier?: string;
  /** The upstream's backend configuration, where it names one (OpenAI-compatible `system_fingerprint`). */
  systemFingerprint?: string;
  /** Request fields the provider could not honour and dropped (x-llmux-degraded). */
  degraded?: DegradedField[];
}

/**
 * The canonical stream. Output comes in blocks — text, reasoning, one tool call — each with an
 * `id` unique within the stream, and blocks are strictly sequential: a block's `…-end` comes
 * before the next block's `…-start` (Anthropic's content blocks need exactly this;
 * ChatStreamBuilder guarantees it). Provider state for replay travels on block ends, tool-call
 * starts and files. `input-usage` may come early, as soon as the prompt's token count is known
 * (Anthropic's `message_start` carries it); the final usage is on `finish`. Every stream ends with
 * exactly one `finish` or `error` event, and nothing after it.
 */
export type ChatStreamEvent =
  | ({ type: 'response-start' } & ResponseStart)
  | { type: 'input-usage'; input: InputUsage }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; text: string; logprobs?: TokenLogprob[] }
  | { type: 'text-end'; id: string; metadata?: ProviderMetadata }
  | { type: 'reasoning-start'; id: string; redacted?: boolean }
  | { type: 'reasoning-delta'; id: string; text: string }
  | { type: 'reasoning-end'; id: string; metadata?: ProviderMetadata }
  | { type: 'tool-call-start'; id: string; toolCallId: string; name: string; metadata?: ProviderMetadata }
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  | { type: 'tool-call-end'; id: string }
  /** A file or image the model produced (Poe `file` events, image bots). */
  | { type: 'file'; url: string; mediaType?: string; name?: string; metadata?: ProviderMetadata }
  /**
   * A block only one provider type understands (see ProviderBlockPart): `block` as it starts,
   * `delta`s in that provider's wire form, and the whole block on its end for collectors. A
   * `provider-block-delta` may also name an open text block: a delta of that provider's for it
   * (an Anthropic `citations_delta`), whose content also arrives on the block's end as metadata.
   */
  | { type: 'provider-block-start'; id: string; provider: string; block: ProviderBlock }
  | { type: 'provider-block-delta'; id: string; delta: ProviderBlock }
  | { type: 'provider-block-end'; id: string; block: ProviderBlock }
  /** `stopSequence`: the stop sequence that ended the answer, where the upstream said which. */
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason?: string; stopSequence?: string; usage?: Usage; timing?: Timing }
  | { type: 'error'; error: GatewayError };

type ProviderBlock = ProviderBlockPart['block'];

export type ChatStreamEventType = ChatStreamEvent['type'];
