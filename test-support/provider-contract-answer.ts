/** What a provider contract case has the fake upstream answer, in no provider's terms. */
export type ContractAnswer =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; reasoning: string; text: string }
  | { kind: 'tool-calls'; calls: ContractToolCall[] }
  /** An HTTP error before any output. */
  | { kind: 'error'; status: number; message: string; retryAfterSeconds?: number }
  /** The text, then the body ends without the upstream's finish (a connection cut mid-answer). */
  | { kind: 'cut'; text: string }
  /** The text, then nothing more until the client leaves (a long answer still being generated). */
  | { kind: 'hold'; text: string };

export interface ContractToolCall {
  id: string;
  name: string;
  /** JSON text. */
  arguments: string;
}

/** The usage every fake reports for a text answer, where its protocol reports usage at all. */
export const CONTRACT_USAGE = { input: 11, output: 7 };
