import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A tool-call id as Ollama makes them: `call_` and 8 characters of [a-z0-9].
 * https://github.com/ollama/ollama/blob/main/server/routes.go (toolCallId)
 */
export function ollamaToolCallId(): string {
  const bytes = randomBytes(8);
  let id = 'call_';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
