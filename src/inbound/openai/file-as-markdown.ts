/**
 * OpenAI chat has no field for files the model produced (image bots, Poe `file` events); like
 * Poe's own OpenAI-compatible API, they are given as Markdown in the message text.
 */
export function fileAsMarkdown(file: { url: string; mediaType?: string | undefined; name?: string | undefined }): string {
  const label = (file.name ?? 'file').replace(/[[\]]/g, '');
  const isImage = file.mediaType === undefined ? /\.(png|jpe?g|gif|webp)(\?|$)/i.test(file.url) : file.mediaType.startsWith('image/');
  return `${isImage ? '!' : ''}[${label}](${file.url})`;
}
