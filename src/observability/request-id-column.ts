/** A request id as `crypto.randomUUID()` writes it (lowercase, 8-4-4-4-12 hex digits), kept as 16 bytes. */
const UUID_BYTES = 16;
const HEX = '0123456789abcdef';
const UUID_LENGTH = 36;
const SCRATCH = Buffer.allocUnsafeSlow(UUID_LENGTH);

/**
 * Request ids by slot, for what keeps many requests for a while (the dashboard's ring, the usage
 * queue): a randomUUID id (llmux's own) as 16 bytes in one typed array, so keeping it keeps no
 * string alive past its request; any other id (a client's `x-request-id`) as the string it is.
 */
export class RequestIdColumn {
  private bytes: Uint8Array;
  /** An id that is not a randomUUID; undefined when it is in `bytes`. */
  private others: (string | undefined)[];

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity * UUID_BYTES);
    this.others = new Array<string | undefined>(capacity).fill(undefined);
  }

  get capacity(): number {
    return this.others.length;
  }

  /** Makes room for `capacity` slots, keeping the ids held. */
  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const bytes = new Uint8Array(capacity * UUID_BYTES);
    bytes.set(this.bytes);
    this.bytes = bytes;
    const others = new Array<string | undefined>(capacity).fill(undefined);
    for (let slot = 0; slot < this.others.length; slot++) others[slot] = this.others[slot];
    this.others = others;
  }

  set(slot: number, requestId: string): void {
    // Checked and packed in one pass (no regular expression per id, no branch per digit): any
    // character out of place keeps the id as its string, whatever was packed before it.
    if (requestId.length !== UUID_LENGTH || !dashesInPlace(requestId)) {
      this.others[slot] = requestId;
      return;
    }
    const bytes = this.bytes;
    let byte = slot * UUID_BYTES;
    // Negative once any digit is not a lowercase hex digit; above 0xff once any character is not Latin-1.
    let misfit = 0;
    for (let index = 0; index < UUID_LENGTH; index += 2) {
      if (index === 8 || index === 13 || index === 18 || index === 23) index += 1;
      const first = requestId.charCodeAt(index);
      const second = requestId.charCodeAt(index + 1);
      const high = HEX_VALUE[first & 0xff] as number;
      const low = HEX_VALUE[second & 0xff] as number;
      misfit |= high | low | ((first | second) & 0xff00);
      bytes[byte++] = (high << 4) | low;
    }
    this.others[slot] = misfit < 0 || misfit > 0xff ? requestId : undefined;
  }

  get(slot: number): string {
    const other = this.others[slot];
    if (other !== undefined) return other;
    // Written into one scratch buffer and read as one string: no string per byte to concatenate.
    const text = SCRATCH;
    let at = 0;
    for (let byte = 0; byte < UUID_BYTES; byte++) {
      if (byte === 4 || byte === 6 || byte === 8 || byte === 10) text[at++] = 45; /* - */
      const value = this.bytes[slot * UUID_BYTES + byte] as number;
      text[at++] = HEX.charCodeAt(value >> 4);
      text[at++] = HEX.charCodeAt(value & 15);
    }
    return text.toString('latin1', 0, UUID_LENGTH);
  }

  /** Lets go of a slot's string id, if it had one (the bytes hold nothing alive). */
  clear(slot: number): void {
    this.others[slot] = undefined;
  }
}

/** The value of each Latin-1 character as a lowercase hex digit; -1 for any other. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 16; digit++) HEX_VALUE[HEX.charCodeAt(digit)] = digit;

function dashesInPlace(requestId: string): boolean {
  return requestId.charCodeAt(8) === 45 && requestId.charCodeAt(13) === 45 && requestId.charCodeAt(18) === 45 && requestId.charCodeAt(23) === 45; /* - */
}
