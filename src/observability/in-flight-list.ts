/** A value's place in an InFlightList: what `remove` takes, so that leaving the list takes no search. */
export interface InFlightEntry<T> {
  readonly value: T;
  /** Neighbours while in the list; both undefined once removed (a removed entry holds nothing). */
  previous: InFlightEntry<T> | undefined;
  next: InFlightEntry<T> | undefined;
  listed: boolean;
}

/**
 * What is in flight (requests, their outcomes), oldest first: a doubly linked list of entries.
 *
 * A `Set` would do the same work, but each request adds to it and deletes from it once, and a
 * long-lived Set's hash table lives in V8's old generation: every rehash that churn causes
 * allocates the new table there too (measured: 33–69 bytes of old-generation garbage per add and
 * delete, with 50 or 8 entries in the set). Old-generation garbage is only freed by full
 * collections. Here a request costs one small entry in the young generation, and nothing else.
 */
export class InFlightList<T> {
  #first: InFlightEntry<T> | undefined;
  #last: InFlightEntry<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `value` as the newest; the entry removes it. */
  add(value: T): InFlightEntry<T> {
    const entry: InFlightEntry<T> = { value, previous: this.#last, next: undefined, listed: true };
    if (this.#last === undefined) this.#first = entry;
    else this.#last.next = entry;
    this.#last = entry;
    this.#size++;
    return entry;
  }

  /** Takes the entry out of the list; a second call does nothing. */
  remove(entry: InFlightEntry<T>): void {
    if (!entry.listed) return;
    entry.listed = false;
    const { previous, next } = entry;
    if (previous === undefined) this.#first = next;
    else previous.next = next;
    if (next === undefined) this.#last = previous;
    else next.previous = previous;
    entry.previous = entry.next = undefined;
    this.#size--;
  }

  /** The values in flight now, oldest first: a copy, so that removing while going through it is safe. */
  values(): T[] {
    const values = new Array<T>(this.#size);
    let index = 0;
    for (let entry = this.#first; entry !== undefined; entry = entry.next) values[index++] = entry.value;
    return values;
  }
}
