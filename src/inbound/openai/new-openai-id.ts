import { randomFillSync } from 'node:crypto';

/** Random bytes per id: 20 base64url characters (15 bytes are whole groups of 3, so ids fall on character boundaries). */
const ID_BYTES = 15;
const ID_CHARS = 20;
/** Ids drawn from one fill of the pool: one call into the system's random source per 256 ids, not one per id. */
const POOL_IDS = 256;
const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
/** The pool as the ids' characters, encoded once per fill: each id is a slice of it. */
let encoded = '';
let next = POOL_IDS;

/** A fresh id in OpenAI's style (`chatcmpl-…`, `resp_…`, `msg_…`) for answers whose upstream gave none. */
export function newOpenAIId(prefix: string): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    encoded = pool.toString('base64url').replace(/[-_]/g, 'x');
    next = 0;
  }
  const start = next * ID_CHARS;
  next += 1;
  return prefix + encoded.slice(start, start + ID_CHARS);
}
