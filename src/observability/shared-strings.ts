/** Distinct strings kept before new ones are handed back as they came. */
const DEFAULT_KEPT = 1_000;

/**
 * One copy of each string value, for columns that keep many requests' strings (routes, model,
 * provider and key names): a request's model name parsed from its body is a new string every
 * time, and kept as it is it would live as long as the column keeps it. Bounded, so values a
 * client makes up cannot grow it without end.
 */
export class SharedStrings {
  private readonly copies = new Map<string, string>();
  private readonly kept: number;

  constructor(kept: number = DEFAULT_KEPT) {
    this.kept = kept;
  }

  of(value: string): string {
    const known = this.copies.get(value);
    if (known !== undefined) return known;
    if (this.copies.size < this.kept) this.copies.set(value, value);
    return value;
  }

  maybe(value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.of(value);
  }
}
