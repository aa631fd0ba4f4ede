/**
 * Provider state that a block carries and that must go back to the same provider on a later turn:
 * Anthropic thinking signatures and redacted thinking, Gemini thought signatures, OpenAI encrypted
 * reasoning. Typed, not a bag: every provider that needs replay uses these fields. Only the provider
 * type named in `provider` reads it back; others ignore it (a conversation that moves to another
 * provider loses nothing it could use).
 */
export interface ProviderMetadata {
  /** The provider type that produced it (`anthropic`, `gemini`, …). */
  provider: string;
  /** An opaque signature over the block: Anthropic thinking `signature`, Gemini `thoughtSignature`. */
  signature?: string;
  /** Reasoning the provider returned only encrypted: Anthropic `redacted_thinking.data`, OpenAI `encrypted_content`. */
  encrypted?: string;
  /** The provider's own id for the item (OpenAI Responses item ids). */
  itemId?: string;
  /** Where a text's claims come from (Anthropic `citations`: document and web search locations), as the provider gave them. */
  citations?: Record<string, unknown>[];
}
