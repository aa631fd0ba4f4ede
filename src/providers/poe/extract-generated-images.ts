import { responseFiles, responseText, type ChatResponse } from '../../canonical/chat-response.ts';

export interface FoundImage {
  url: string;
  mediaType?: string;
}

const INLINE_IMAGE = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_IMAGE = /!\[([^\]]*)\]\[([^\]]*)\]/g;
const REFERENCE_DEFINITION = /^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm;

/**
 * The images an image bot produced. Its `file` events come first (how current Poe image bots
 * deliver, github:poe-platform/fastapi_poe base.py `file_event`); otherwise the markdown images
 * of its final text — inline `![alt](url)` and reference-style `![alt][ref]`, resolved through the
 * link definitions (the Poe decoder adds them for `inline_ref`s).
 */
export function extractGeneratedImages(response: Pick<ChatResponse, 'parts'>): FoundImage[] {
  const all = responseFiles(response);
  const files = all.filter((file) => file.mediaType === undefined || file.mediaType.startsWith('image/'));
  const chosen = files.length > 0 ? files : all;
  if (chosen.length > 0) {
    return dedupe(chosen.map((file) => (file.mediaType === undefined ? { url: file.url } : { url: file.url, mediaType: file.mediaType })));
  }
  const found: FoundImage[] = [];
  const text = responseText(response);
  const definitions = new Map<string, string>();
  for (const match of text.matchAll(REFERENCE_DEFINITION)) definitions.set(normalizeLabel(match[1] ?? ''), match[2] ?? '');
  // Keep the order in which the images appear in the text.
  const positioned: { at: number; url: string }[] = [];
  for (const match of text.matchAll(INLINE_IMAGE)) positioned.push({ at: match.index, url: match[1] ?? '' });
  for (const match of text.matchAll(REFERENCE_IMAGE)) {
    const label = normalizeLabel(match[2] === '' || match[2] === undefined ? (match[1] ?? '') : match[2]);
    const url = definitions.get(label);
    if (url !== undefined) positioned.push({ at: match.index, url });
  }
  positioned.sort((a, b) => a.at - b.at);
  for (const { url } of positioned) if (/^(https?:|data:image\/)/.test(url)) found.push({ url });
  return dedupe(found);
}

function normalizeLabel(label: string): string {
  return label.trim().toLowerCase();
}

function dedupe(images: FoundImage[]): FoundImage[] {
  const seen = new Set<string>();
  return images.filter((image) => (seen.has(image.url) ? false : (seen.add(image.url), true)));
}
