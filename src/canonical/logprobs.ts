/** One sampled token's log probability, with the most likely alternatives where they were asked for. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  /** UTF-8 bytes of the token, where the upstream gives them (a token may be part of a character). */
  bytes?: number[];
  top?: TopLogprob[];
}

export interface TopLogprob {
  token: string;
  logprob: number;
  bytes?: number[];
}
