import type { TokenLogprob } from '../../canonical/logprobs.ts';

export interface OpenAIChatTokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

/** Chat completions' `choices[].logprobs` (https://platform.openai.com/docs/api-reference/chat/object). */
export interface OpenAIChatLogprobs {
  content: OpenAIChatTokenLogprob[];
  refusal: null;
}

/** Canonical token log probabilities → chat completions' `logprobs` object. */
export function toOpenAIChatLogprobs(tokens: readonly TokenLogprob[]): OpenAIChatLogprobs {
  return {
    content: tokens.map((token) => ({
      token: token.token,
      logprob: token.logprob,
      bytes: token.bytes ?? null,
      top_logprobs: (token.top ?? []).map((top) => ({ token: top.token, logprob: top.logprob, bytes: top.bytes ?? null })),
    })),
    refusal: null,
  };
}

/** Legacy completions' `choices[].logprobs` (parallel arrays, top alternatives as token → logprob maps). */
export interface OpenAICompletionLogprobs {
  tokens: string[];
  token_logprobs: number[];
  top_logprobs: Record<string, number>[] | null;
  text_offset: number[];
}

/** `offset` is where the first token starts in the completion's text. */
export function toOpenAICompletionLogprobs(tokens: readonly TokenLogprob[], offset = 0): OpenAICompletionLogprobs {
  const result: OpenAICompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let position = offset;
  let anyTop = false;
  for (const token of tokens) {
    result.tokens.push(token.token);
    result.token_logprobs.push(token.logprob);
    result.text_offset.push(position);
    position += token.token.length;
    const top: Record<string, number> = {};
    for (const alternative of token.top ?? []) {
      anyTop = true;
      top[alternative.token] = alternative.logprob;
    }
    result.top_logprobs?.push(top);
  }
  if (!anyTop) result.top_logprobs = null;
  return result;
}
