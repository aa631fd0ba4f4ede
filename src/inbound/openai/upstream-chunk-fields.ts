import type { ResponseStart } from '../../canonical/chat-stream-event.ts';

/**
 * What an OpenAI stream chunk says of the upstream after its `model`, as far as the upstream named
 * it: `,"service_tier":…,"system_fingerprint":…` (api.openai.com sends both on every chunk), or ''.
 */
export function upstreamFields(start: Pick<ResponseStart, 'serviceTier' | 'systemFingerprint'>): string {
  let text = '';
  if (start.serviceTier !== undefined) text += ',"service_tier":' + JSON.stringify(start.serviceTier);
  if (start.systemFingerprint !== undefined) text += ',"system_fingerprint":' + JSON.stringify(start.systemFingerprint);
  return text;
}
