import type { ProviderMetadata } from '../../canonical/provider-metadata.ts';

/**
 * Anthropic clients carry provider state back themselves: a thinking block's `signature` and a
 * redacted block's `data` return on the next turn exactly as sent. State from an Anthropic upstream
 * travels as it is; state from another provider (a Gemini thought signature, OpenAI encrypted
 * reasoning) is sent as `llmux.<provider type>.<value>`, so it comes back to that provider and no
 * other — and never reaches Anthropic, which would refuse a signature it did not issue.
 */
const PREFIX = 'llmux.';
const OWN_PROVIDER = 'anthropic';

export type SignatureField = 'signature' | 'encrypted';

/** The client's `signature` / `data` as provider metadata; undefined for an empty signature. */
export function decodeAnthropicSignature(value: string, field: SignatureField = 'signature'): ProviderMetadata | undefined {
  if (value.length === 0) return undefined;
  if (value.startsWith(PREFIX)) {
    const dot = value.indexOf('.', PREFIX.length);
    if (dot > PREFIX.length) return { provider: value.slice(PREFIX.length, dot), [field]: value.slice(dot + 1) };
  }
  return { provider: OWN_PROVIDER, [field]: value };
}

/** Provider metadata as the client's `signature` / `data` (empty when there is none). */
export function encodeAnthropicSignature(metadata: ProviderMetadata | undefined, field: SignatureField = 'signature'): string {
  const value = metadata?.[field];
  if (metadata === undefined || value === undefined) return '';
  return metadata.provider === OWN_PROVIDER ? value : `${PREFIX}${metadata.provider}.${value}`;
}
