/**
 * A file the model produced (a Poe image bot's picture) as text for an Anthropic client, whose
 * answers hold no file blocks: a Markdown link or image, which Claude Code and chat UIs render.
 */
export function fileAsAnthropicText(file: { url: string; mediaType?: string; name?: string }): string {
  const label = (file.name ?? 'file').replace(/[[\]]/g, '');
  return file.mediaType?.startsWith('image/') === true ? `![${label}](${file.url})` : `[${label}](${file.url})`;
}
