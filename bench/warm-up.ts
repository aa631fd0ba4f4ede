/**
 * Requests each warmed path gets before it is measured (the ceiling section of `npm run bench`,
 * `measure-request-cost.ts`). A new Node server spends its first ten thousand or so requests
 * compiling and growing its heap: in one run at 50 connections, a new bare proxy read 353, 188 and
 * 178 µs of CPU per request over its first three blocks of 4,000 requests and 98–150 µs after; a new
 * llmux 445, 325 and 340, then 160–240. The ceiling is about a server that has been up a while.
 */
export const WARM_REQUESTS = 10_000;
