import { randomBytes } from 'node:crypto';

/** A fresh id in OpenAI's style (`chatcmpl-…`, `cmpl-…`) for answers whose upstream gave none. */
export function newOpenAIId(prefix: string): string {
  return prefix + randomBytes(15).toString('base64url').replace(/[-_]/g, 'x');
}
