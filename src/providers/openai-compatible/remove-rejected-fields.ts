import type { OpenAICompatibleRequestBody } from './openai-compatible-request-body.ts';

/** Body fields that are never retried away: without them the request means something else. */
const ESSENTIAL_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options', 'tools', 'tool_choice', 'response_format']);
/** Message fields that may go: a name, and earlier reasoning (models are trained to ignore it). */
const OPTIONAL_MESSAGE_FIELDS = new Set(['name', 'reasoning', 'reasoning_content']);

/**
 * Removes from `body` the fields an upstream refused, given as the paths it named
 * (`frequency_penalty`, `body.store`, `messages.2.assistant.reasoning_content`), and returns what
 * was removed by its wire name (`store`, `messages[2].reasoning_content`). A path naming an
 * essential field, a field the body does not have, or anything deeper is left alone, so the
 * refusal stands.
 */
export function removeRejectedFields(body: OpenAICompatibleRequestBody, paths: readonly string[]): string[] {
  const removed: string[] = [];
  for (const path of paths) {
    const segments = path.replace(/^body\./, '').split(/\.|\[|\]\.?/).filter((segment) => segment !== '');
    const [field, index, ...rest] = segments;
    if (field === undefined) continue;
    if (segments.length === 1) {
      if (ESSENTIAL_FIELDS.has(field) || !(field in body)) continue;
      delete body[field];
      removed.push(field);
      continue;
    }
    if (field !== 'messages' || index === undefined || !/^\d+$/.test(index)) continue;
    const message = body.messages[Number(index)] as Record<string, unknown> | undefined;
    // `messages.2.assistant.reasoning_content`: Cerebras puts the role between index and field.
    const named = rest.length === 2 && rest[0] === message?.['role'] ? rest[1] : rest.length === 1 ? rest[0] : undefined;
    if (message === undefined || named === undefined || !OPTIONAL_MESSAGE_FIELDS.has(named) || !(named in message)) continue;
    delete message[named];
    removed.push(`messages[${index}].${named}`);
  }
  return removed;
}
