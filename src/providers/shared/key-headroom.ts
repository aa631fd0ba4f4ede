/** What the upstream last reported a provider key has left before its rate limit, for health views. */
export interface KeyHeadroom {
  /** Which key: its position in `api_key` + `api_keys` (1-based) and its last four characters. */
  key: string;
  /** The key's position alone (1-based), for labels that must not carry any of the key, such as /metrics. */
  position: number;
  tokensLeft?: number;
  /** Epoch ms. */
  tokensResetAt?: number;
  requestsLeft?: number;
  /** Epoch ms. */
  requestsResetAt?: number;
}
