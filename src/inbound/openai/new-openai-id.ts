import { randomFillSync } from 'node:crypto';

/** Random bytes per id: 20 base64url characters. */
const ID_BYTES = 15;
/** Ids drawn from one fill of the pool: one call into the system's random source per 256 ids, not one per id. */
const POOL_IDS = 256;
const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
let offset = pool.length;

/** A fresh id in OpenAI's style (`chatcmpl-…`, `resp_…`, `msg_…`) for answers whose upstream gave none. */
export function newOpenAIId(prefix: string): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return prefix + id.replace(/[-_]/g, 'x');
}
