/**
 * Time a request spent waiting on its upstream, for `x-llmux-overhead-ms`: from handing the
 * request to the HTTP client until the answer's body was read whole (or, for a stream, until its
 * headers arrived). The HTTP client adds to it; what llmux does before and after (building the
 * request, parsing and converting the answer) stays llmux's own time.
 */
export interface UpstreamWait {
  ms: number;
  /** Set once the HTTP client reported a wait: a provider that does not pass the clock leaves it false. */
  reported: boolean;
}
