/**
 * Where the Responses API keeps responses created with `store: true`, so that
 * `previous_response_id` can continue them and `GET`/`DELETE /v1/responses/{id}` and
 * `/input_items` can read them. The contract every implementation keeps (MemoryResponseStore when
 * llmux runs without a state store; WriteBehindResponseStore over the state database otherwise):
 * - `put` keeps a response until it is deleted or falls out of the retention limit; putting an
 *   id again replaces it.
 * - `get` returns what was put (a structurally equal copy), or undefined for an unknown, deleted
 *   or expired id.
 * - `delete` says whether the id was there.
 * - Retention: an implementation has an age limit (`responses.retention`), and the in-memory one
 *   also a count and byte limit; the oldest go first.
 */
export interface ResponseStore {
  put(entry: StoredResponse): Promise<void>;
  get(id: string): Promise<StoredResponse | undefined>;
  delete(id: string): Promise<boolean>;
}

export type JsonObject = { [key: string]: unknown };

export interface StoredResponse {
  /** The response id (`resp_…`). */
  id: string;
  /** Epoch seconds, as the response's `created_at`. */
  createdAt: number;
  /** The response this one continued, for replaying a conversation. */
  previousResponseId?: string;
  /** The response object as `GET /v1/responses/{id}` answers it (output items included). */
  response: JsonObject;
  /** This request's own input items, each with an `id`, as `/input_items` lists them. */
  inputItems: JsonObject[];
}

/** The retention limit of a response store. */
export interface ResponseRetention {
  /** Most responses kept; the oldest go first. */
  maxEntries: number;
  /** Most bytes (of their JSON text) kept in all. */
  maxBytes: number;
  /** Oldest a response may get, in milliseconds, before it is dropped. */
  maxAgeMs: number;
}

/** 30 days, as OpenAI keeps stored responses; 1000 responses or 64 MiB, whichever is reached first. */
export const DEFAULT_RESPONSE_RETENTION: ResponseRetention = {
  maxEntries: 1000,
  maxBytes: 64 * 1024 * 1024,
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
};
