import type { TokenLogprob } from '../../../canonical/logprobs.ts';

/** A token's log probability as the Responses API gives it (openai-node ResponseOutputText.Logprob). */
export interface ResponsesLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

/** Canonical token log probabilities → the Responses API's, bytes filled in from the token where the upstream gave none. */
export function toResponsesLogprobs(tokens: readonly TokenLogprob[]): ResponsesLogprob[] {
  return tokens.map((token) => ({
    token: token.token,
    logprob: token.logprob,
    bytes: token.bytes ?? [...Buffer.from(token.token, 'utf8')],
    top_logprobs: (token.top ?? []).map((top) => ({ token: top.token, logprob: top.logprob, bytes: top.bytes ?? [...Buffer.from(top.token, 'utf8')] })),
  }));
}
