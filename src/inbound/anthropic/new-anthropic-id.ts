import { randomBytes } from 'node:crypto';

/** An id in Anthropic's style (`msg_01…`) for answers from upstreams that give none. */
export function newAnthropicId(prefix: string): string {
  return prefix + '01' + randomBytes(16).toString('base64url').replace(/[-_]/g, 'x');
}
