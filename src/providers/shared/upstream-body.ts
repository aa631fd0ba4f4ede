/**
 * An upstream response body as providers see it: llmux's own interface, so that no provider
 * depends on the HTTP library. Read it once — whole (`text`, `json`, `bytes`) or as chunks — and
 * then either let it end, `drain` what is left (the connection is reused) or `destroy` it (the
 * connection closes, which is how an upstream learns to stop generating). Read errors (idle
 * timeout, abort, broken connection) are already GatewayErrors.
 */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  json(): Promise<unknown>;
  bytes(): Promise<Uint8Array>;
  /** The chunks, leaving the body open when the reader stops early, to drain or destroy after. */
  chunks(): AsyncIterable<Uint8Array>;
  /**
   * Reads and discards what is left, so the keep-alive connection can be reused; when more than
   * `limitBytes` (default 128 KiB) is left, or `signal` fires first, the connection is closed
   * instead. Never rejects.
   */
  drain(options?: { limitBytes?: number; signal?: AbortSignal }): Promise<void>;
  /** Closes the connection at once; nothing is reported for it afterwards. */
  destroy(): void;
}
