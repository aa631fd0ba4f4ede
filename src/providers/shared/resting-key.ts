/** A provider key set aside after a refusal or a rate limit, as health views show it. */
export interface RestingKey {
  /** Which key: its position in `api_key` + `api_keys` (1-based) and its last four characters. */
  key: string;
  /** Epoch ms when it is used again. */
  until: number;
  reason: 'rate_limited' | 'refused';
}
