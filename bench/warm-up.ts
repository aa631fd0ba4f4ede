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
