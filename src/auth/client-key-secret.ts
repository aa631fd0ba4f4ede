import { createHmac, randomBytes } from 'node:crypto';

/** A new client key secret: `llmux-` and 32 random characters (192 bits). */
export function generateClientKeySecret(): string {
  return `llmux-${randomBytes(24).toString('base64url')}`;
}

/** The keyed hash a stored key is kept as: HMAC-SHA-256 with the store's own secret, hex. */
export function hashClientKeySecret(hashSecret: Buffer, key: string): string {
  return createHmac('sha256', hashSecret).update(key).digest('hex');
}

/** What lists show of a secret: enough to recognise it, far too little to use it. */
export function clientKeyPrefix(key: string): string {
  return key.slice(0, 10);
}
