/**
 * The checks the plain-body guards share (chat completions, Responses, Anthropic Messages): a body
 * is plain when each field it holds passes a check as strict as the schema's, so the schema would
 * give it back unchanged and its pass can be skipped.
 */
export type Check = (value: unknown) => boolean;

export const isBoolean: Check = (value) => typeof value === 'boolean';
export const isString: Check = (value) => typeof value === 'string';
/** `check`, or null: a field the schema declares nullish. */
export const orNull =
  (check: Check): Check =>
  (value) =>
    value === null || check(value);
export const inRange =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'number' && value >= min && value <= max;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every field of `body` that `plainFields` names passes its check; a field the schema knows
 * (`knownFields`) but `plainFields` does not name makes the body unusual; unknown fields are
 * allowed (the schema keeps them as they are).
 */
export function hasPlainFields(body: Record<string, unknown>, plainFields: Record<string, Check>, knownFields: ReadonlySet<string>): boolean {
  for (const key in body) {
    const check = plainFields[key];
    if (check === undefined) {
      if (knownFields.has(key)) return false;
      continue;
    }
    if (!Object.hasOwn(plainFields, key) || !check(body[key])) return false;
  }
  return true;
}
