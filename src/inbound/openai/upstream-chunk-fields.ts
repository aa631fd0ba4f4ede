import type { ResponseStart } from '../../canonical/chat-stream-event.ts';
import { openAIServiceTier } from './openai-service-tier.ts';

/**
 * What an OpenAI stream chunk says of the upstream after its `model`, as far as the upstream named
 * it: `,"service_tier":…,"system_fingerprint":…` (api.openai.com sends both on every chunk; the tier in
 * OpenAI's words, openAIServiceTier), or ''.
 */
export function upstreamFields(start: Pick<ResponseStart, 'serviceTier' | 'systemFingerprint'>): string {
  let text = '';
  const tier = openAIServiceTier(start.serviceTier);
  if (tier !== undefined) text += ',"service_tier":' + JSON.stringify(tier);
  if (start.systemFingerprint !== undefined) text += ',"system_fingerprint":' + JSON.stringify(start.systemFingerprint);
  return text;
}
