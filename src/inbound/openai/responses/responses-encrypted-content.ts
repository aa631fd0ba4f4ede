import { z } from 'zod';
import type { ProviderMetadata } from '../../../canonical/provider-metadata.ts';

/**
 * Provider state carried in a reasoning item's `encrypted_content`, the one field of the
 * Responses API that clients hand back untouched (Codex sends every reasoning item back with it
 * when it asked for `include: ["reasoning.encrypted_content"]`; codex-rs protocol/src/models.rs).
 * An Anthropic thinking signature or redacted thinking, or a Gemini thought signature, so
 * survives a stateless (`store: false`) conversation. llmux's own form is `llmux1.` + base64url of
 * the metadata as JSON; anything else is OpenAI's own encrypted reasoning, kept as such.
 */
const PREFIX = 'llmux1.';

const carriedSchema = z.object({
  provider: z.string().min(1),
  signature: z.string().optional(),
  encrypted: z.string().optional(),
  itemId: z.string().optional(),
  redacted: z.boolean().optional(),
});

export interface CarriedReasoningState {
  metadata: ProviderMetadata;
  /** The reasoning had no readable text (Anthropic redacted thinking). */
  redacted: boolean;
}

export function encodeEncryptedContent(metadata: ProviderMetadata, redacted: boolean): string {
  const carried: z.infer<typeof carriedSchema> = { ...metadata };
  if (redacted) carried.redacted = true;
  return PREFIX + Buffer.from(JSON.stringify(carried), 'utf8').toString('base64url');
}

/** undefined when the content is llmux's own form but damaged: it is then dropped, as a provider would refuse it. */
export function decodeEncryptedContent(value: string, itemId: string | undefined): CarriedReasoningState | undefined {
  if (!value.startsWith(PREFIX)) {
    const metadata: ProviderMetadata = { provider: 'openai', encrypted: value };
    if (itemId !== undefined) metadata.itemId = itemId;
    return { metadata, redacted: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const result = carriedSchema.safeParse(parsed);
  if (!result.success) return undefined;
  const { redacted, ...fields } = result.data;
  const metadata: ProviderMetadata = { provider: fields.provider };
  if (fields.signature !== undefined) metadata.signature = fields.signature;
  if (fields.encrypted !== undefined) metadata.encrypted = fields.encrypted;
  if (fields.itemId !== undefined) metadata.itemId = fields.itemId;
  return { metadata, redacted: redacted === true };
}
