/**
 * Token counts of one answer, in the canonical meaning: `input.total` is every prompt token
 * (cached ones included), `output.total` every generated token (reasoning included).
 */
export interface Usage {
  input: {
    total: number;
    cacheRead?: number;
    cacheWrite?: number;
  };
  output: {
    total: number;
    reasoning?: number;
  };
  source: 'upstream' | 'counted';
  raw?: unknown;
}
