/** The body an UpstreamChunkIterator reads: it hands out the next chunk and closes the connection. */
export interface ChunkSource {
  nextChunk(): Promise<IteratorResult<Uint8Array>>;
  destroy(): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * An upstream body read chunk by chunk. Stopping early (`return()`, as `break` in a `for await`
 * does) either closes the connection (the body's own iterator, as a Node stream's does) or leaves
 * the body open to be drained or destroyed after (`chunks()`).
 */
export class UpstreamChunkIterator implements AsyncIterableIterator<Uint8Array> {
  private readonly source: ChunkSource;
  private readonly destroyOnReturn: boolean;

  constructor(source: ChunkSource, destroyOnReturn: boolean) {
    this.source = source;
    this.destroyOnReturn = destroyOnReturn;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    return this.source.nextChunk();
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    if (this.destroyOnReturn) this.source.destroy();
    return Promise.resolve(DONE);
  }
}
