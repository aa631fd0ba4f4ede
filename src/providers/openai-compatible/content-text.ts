/**
 * The text of a `content` field: a string almost everywhere, an array of `{type:'text', text}`
 * parts from a few servers (Mistral-style content chunks); other part types carry no answer text.
 */
export function contentText(content: string | readonly unknown[] | null | undefined): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text') {
      const value = (part as { text?: unknown }).text;
      if (typeof value === 'string') text += value;
    }
  }
  return text;
}
