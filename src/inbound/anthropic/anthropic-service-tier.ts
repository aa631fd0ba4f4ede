/** The tiers an Anthropic answer's `usage.service_tier` names (anthropic-sdk-typescript Usage). */
const ANTHROPIC_SERVICE_TIERS: ReadonlySet<string> = new Set(['standard', 'priority', 'batch']);

/**
 * The tier that served a request (canonical `serviceTier`: the upstream's own word for it) in
 * Anthropic's words: OpenAI's `default` is Anthropic's `standard`, `priority` is the same word;
 * tiers Anthropic has no word for (OpenAI's `flex`, `scale`) are left out of the answer.
 */
export function anthropicServiceTier(tier: string | undefined): string | undefined {
  if (tier === 'default') return 'standard';
  return tier !== undefined && ANTHROPIC_SERVICE_TIERS.has(tier) ? tier : undefined;
}
