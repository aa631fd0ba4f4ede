import type { TokenLogprob } from '../../canonical/logprobs.ts';

interface OllamaTokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[];
}

interface OllamaLogprob extends OllamaTokenLogprob {
  top_logprobs?: OllamaTokenLogprob[];
}

/**
 * Canonical token log probabilities → Ollama's `logprobs` array (api/types.go `Logprob`: token,
 * logprob, bytes and top_logprobs, the last two omitted when empty), sent on the chunk that carries
 * the tokens' text.
 */
export function toOllamaLogprobs(tokens: readonly TokenLogprob[]): OllamaLogprob[] {
  return tokens.map((token) => {
    const converted: OllamaLogprob = tokenLogprob(token);
    if (token.top !== undefined && token.top.length > 0) converted.top_logprobs = token.top.map(tokenLogprob);
    return converted;
  });
}

function tokenLogprob(token: { token: string; logprob: number; bytes?: number[] }): OllamaTokenLogprob {
  const converted: OllamaTokenLogprob = { token: token.token, logprob: token.logprob };
  if (token.bytes !== undefined && token.bytes.length > 0) converted.bytes = token.bytes;
  return converted;
}
