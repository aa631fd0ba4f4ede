import type { TokenLogprob, TopLogprob } from '../../canonical/logprobs.ts';
import type { OpenAICompatibleLogprobs } from './openai-compatible-response-schemas.ts';

/** Chat `logprobs.content` → canonical token log probabilities; undefined when there are none. */
export function mapOpenAICompatibleLogprobs(logprobs: OpenAICompatibleLogprobs | null | undefined): TokenLogprob[] | undefined {
  const content = logprobs?.content;
  if (content === null || content === undefined || content.length === 0) return undefined;
  return content.map((entry) => {
    const token: TokenLogprob = { token: entry.token, logprob: entry.logprob };
    if (entry.bytes !== null && entry.bytes !== undefined) token.bytes = entry.bytes;
    if (entry.top_logprobs !== null && entry.top_logprobs !== undefined) token.top = entry.top_logprobs.map(toTop);
    return token;
  });
}

function toTop(entry: { token: string; logprob: number; bytes?: number[] | null | undefined }): TopLogprob {
  const top: TopLogprob = { token: entry.token, logprob: entry.logprob };
  if (entry.bytes !== null && entry.bytes !== undefined) top.bytes = entry.bytes;
  return top;
}
