/**
 * A file the model produced (an image bot's picture) as Markdown in the answer text: Ollama's API
 * has no field for files, and chat clients render Markdown images.
 */
export function ollamaFileMarkdown(url: string, mediaType: string | undefined, name: string | undefined): string {
  const label = (name ?? 'file').replace(/[[\]]/g, '');
  const isImage = mediaType === undefined ? /\.(png|jpe?g|gif|webp)(\?|$)/i.test(url) : mediaType.startsWith('image/');
  return isImage ? `\n![${label}](${url})\n` : `\n[${label}](${url})\n`;
}
