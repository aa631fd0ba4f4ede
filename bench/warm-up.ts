/**
 * Requests a new server process gets before it is measured, shared evenly by the paths it serves
 * (the ceiling section of `npm run bench`, `measure-request-cost.ts`). A new Node server spends its
 * first tens of thousands of requests compiling and growing its heap. CPU µs per request at 50
 * connections, blocks of 4,000 requests from start (2026-12-07): a new bare proxy 195–238, 120–135,
 * 130–148, 83–113, 80–113, then 70–93 from about 24,000 requests on; a new llmux 305–315, 200–300,
 * 240–293, then 108–203 from about 12,000 on. Measured younger (10,000 requests each), the bare
 * proxy read 157 µs against 98 in a long-lived process, and llmux ÷ it 1.10× instead of about 1.6×.
 */
export const WARM_REQUESTS_PER_PROCESS = 30_000;

/** The warm-up of each of a process's `paths` paths. */
export function warmRequestsPerPath(paths: number): number {
  return Math.ceil(WARM_REQUESTS_PER_PROCESS / Math.max(1, paths));
}

/**
 * Streams each streamed path of a new server gets after its requests (the ceiling section of
 * `npm run bench`), 16 events back to back each, at WARM_STREAM_CONNECTIONS: the streamed path's
 * own code runs nowhere in the plain warm-up. Time to first byte at one connection over the bare
 * proxy, `measure-stream-cost.ts --events 0 --fresh`, 4 rounds each (2026-12-08): 200 streams in,
 * +698 µs; 2,000, +469; 8,000, +366; the bare proxy's own first byte moved 1,067 → 895 → 853 µs.
 */
export const WARM_STREAMS_PER_PATH = 5_000;
export const WARM_STREAM_CONNECTIONS = 10;
