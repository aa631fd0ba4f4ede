/**
 * The tier that served a request (canonical `serviceTier`: the upstream's own word for it) in
 * OpenAI's words: an Anthropic upstream's `standard` is OpenAI's `default`; every other word
 * (`default`, `flex`, `scale`, `priority`, an OpenAI-compatible server's own) goes on as it came.
 */
export function openAIServiceTier(tier: string | undefined): string | undefined {
  return tier === 'standard' ? 'default' : tier;
}
