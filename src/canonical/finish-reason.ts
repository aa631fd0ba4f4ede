/** Why generation ended; `raw` keeps the upstream's own word for logs. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';
