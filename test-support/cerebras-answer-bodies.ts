/**
 * The bytes the loopback Cerebras answers with, built from a FakeCerebrasAnswer: stream chunks and
 * whole bodies (shapes from github:Cerebras/cerebras-cloud-sdk-node src/resources/chat/completions.ts
 * and https://inference-docs.cerebras.ai), reasoning in each model family's format, logprobs when
 * asked, and the recorded fixtures.
 */
import { readFileSync } from 'node:fs';
import type { RecordedCall } from './fake-upstream-server.ts';

export interface FakeCerebrasToolCall {
  name: string;
  /** JSON text; streamed in fragments of a few characters. */
  arguments: string;
  id?: string;
}

export interface FakeCerebrasAnswer {
  text?: string;
  /** Sent in `delta.reasoning` / `message.reasoning` (the `parsed` reasoning format). */
  reasoning?: string;
  /** Sent as `<think>…</think>` at the start of the content instead (Qwen's `raw` format). */
  thinkTags?: string;
  toolCalls?: FakeCerebrasToolCall[];
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  model?: string;
  id?: string;
  /** Overrides the computed usage; `null` leaves it out. */
  usage?: Record<string, unknown> | null;
  /** Overrides the default `time_info`; `null` leaves it out. */
  timeInfo?: Record<string, unknown> | null;
  /** Streaming only: stop after the content, with no finish chunk and no `[DONE]`. */
  cut?: boolean;
  /** Streaming only: after the content, keep the response open until the client disconnects. */
  holdOpen?: boolean;
  /** Streaming only: after the content, once this settles, reset the connection (TCP RST) with no finish chunk. */
  resetAfter?: Promise<unknown>;
  /**
   * Token log probabilities for the content (`choices[].logprobs.content`), as Cerebras returns
   * them when the request asks (`logprobs`, `top_logprobs`); set from the request by `answer()`.
   */
  logprobs?: { top: number };
  /** Streaming only: pause between chunks. */
  delayMs?: number;
}

const FIXTURE_DIRECTORY = new URL('../src/providers/cerebras/__fixtures__/', import.meta.url);
const CREATED = 1754550000;
export const DEFAULT_TIME_INFO = { queue_time: 0.000211, prompt_time: 0.002134, completion_time: 0.016403, total_time: 0.020383, created: 1754550000.41 };


/**
 * `reasoning` in the form the model family and the request's `reasoning_format` give it
 * (https://inference-docs.cerebras.ai/capabilities/reasoning): by default Qwen3 answers `raw`
 * (`<think>…</think>` leading the content), GPT-OSS and GLM `text_parsed` (the `reasoning`
 * field); `raw` puts it in the content (`<think>` tags for Qwen and GLM, no separator for
 * GPT-OSS), `hidden` drops it, `parsed`/`text_parsed` use the field.
 */
export function withReasoningFormat(answer: FakeCerebrasAnswer, call: RecordedCall): FakeCerebrasAnswer {
  if (answer.reasoning === undefined) return answer;
  const body = (call.json ?? {}) as { model?: unknown; reasoning_format?: unknown };
  const model = String(body.model ?? answer.model ?? '');
  const family = /^qwen/.test(model) ? 'qwen' : /^zai-glm/.test(model) ? 'glm' : 'gpt-oss';
  const asked = typeof body.reasoning_format === 'string' ? body.reasoning_format : 'none';
  const format = asked === 'none' ? (family === 'qwen' ? 'raw' : 'text_parsed') : asked;
  const { reasoning, ...rest } = answer;
  if (format === 'hidden') return rest;
  if (format !== 'raw') return answer;
  return family === 'gpt-oss' ? { ...rest, text: reasoning + (answer.text ?? '') } : { ...rest, thinkTags: reasoning };
}

/** The answer with log probabilities when the request asks for them (`logprobs: true`). */
export function withRequestedLogprobs(answer: FakeCerebrasAnswer, call: RecordedCall): FakeCerebrasAnswer {
  const body = (call.json ?? {}) as { logprobs?: unknown; top_logprobs?: unknown };
  if (body.logprobs !== true) return answer;
  return { ...answer, logprobs: { top: typeof body.top_logprobs === 'number' ? body.top_logprobs : 0 } };
}

/** One content token's entry, OpenAI's shape: `{token, logprob, bytes, top_logprobs}`. */
function tokenLogprob(token: string, index: number, top: number): Record<string, unknown> {
  const logprob = -0.125 * (index + 1);
  const alternatives = Array.from({ length: top }, (_, rank) => ({ token: rank === 0 ? token : `${token}~${rank}`, logprob: logprob - rank, bytes: [...Buffer.from(token)] }));
  return { token, logprob, bytes: [...Buffer.from(token)], top_logprobs: alternatives };
}

/** A fixture's lines: JSON chunks, possibly a last `[DONE]`. */
export function loadCerebrasFixture(name: string): string[] {
  const text = readFileSync(new URL(`${name}.chunks.txt`, FIXTURE_DIRECTORY), 'utf8');
  return text.split('\n').filter((line) => line.length > 0);
}

/** SSE framing as Cerebras sends it: `data: <line>\n\n` per line. */
export function cerebrasSseBody(lines: readonly string[]): string {
  let body = '';
  for (const line of lines) body += `data: ${line}\n\n`;
  return body;
}

/** Words with their leading spaces: roughly how a tokenizer cuts text. */
function pieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function fragments(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size) parts.push(text.slice(start, start + size));
  return parts;
}

function toolCallId(call: FakeCerebrasToolCall, index: number): string {
  return call.id ?? `call_fake${String(index).padStart(17, '0')}`;
}

function finishReasonOf(answer: FakeCerebrasAnswer): string {
  return answer.finishReason ?? ((answer.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop');
}

function contentOf(answer: FakeCerebrasAnswer): string {
  return (answer.thinkTags === undefined ? '' : `<think>\n${answer.thinkTags}\n</think>\n\n`) + (answer.text ?? '');
}

function usageOf(answer: FakeCerebrasAnswer): Record<string, unknown> | undefined {
  if (answer.usage === null) return undefined;
  if (answer.usage !== undefined) return answer.usage;
  const reasoning = pieces(answer.reasoning ?? answer.thinkTags ?? '').length;
  const completion = reasoning + pieces(answer.text ?? '').length + (answer.toolCalls ?? []).reduce((sum, call) => sum + fragments(call.arguments, 6).length + 1, 0);
  return {
    prompt_tokens: 24,
    completion_tokens: completion,
    total_tokens: 24 + completion,
    completion_tokens_details: { reasoning_tokens: reasoning },
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

/** The chunk objects of a streamed answer, ending with the finish chunk (no `[DONE]`). */
export function cerebrasStreamChunks(answer: FakeCerebrasAnswer): Record<string, unknown>[] {
  const head = { id: answer.id ?? 'chatcmpl-fake-1', object: 'chat.completion.chunk', created: CREATED, model: answer.model ?? 'gpt-oss-120b', system_fingerprint: 'fp_fake' };
  const chunk = (delta: Record<string, unknown>): Record<string, unknown> => ({ ...head, choices: [{ delta, index: 0 }] });
  const chunks = [chunk({ role: 'assistant' })];
  for (const piece of pieces(answer.reasoning ?? '')) chunks.push(chunk({ reasoning: piece }));
  pieces(contentOf(answer)).forEach((piece, index) => {
    const content = chunk({ content: piece });
    if (answer.logprobs !== undefined) (content.choices as Record<string, unknown>[])[0]!.logprobs = { content: [tokenLogprob(piece, index, answer.logprobs.top)] };
    chunks.push(content);
  });
  (answer.toolCalls ?? []).forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: toolCallId(call, index), type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const part of fragments(call.arguments, 6)) chunks.push(chunk({ tool_calls: [{ index, type: 'function', function: { arguments: part } }] }));
  });
  const last: Record<string, unknown> = { ...head, choices: [{ delta: {}, finish_reason: finishReasonOf(answer), index: 0 }] };
  const usage = usageOf(answer);
  if (usage !== undefined) last.usage = usage;
  if (answer.timeInfo !== null) last.time_info = answer.timeInfo ?? DEFAULT_TIME_INFO;
  chunks.push(last);
  return chunks;
}

/** The body of a non-streamed answer. */
export function cerebrasCompletionBody(answer: FakeCerebrasAnswer): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: contentOf(answer) };
  if (answer.reasoning !== undefined) message.reasoning = answer.reasoning;
  if ((answer.toolCalls?.length ?? 0) > 0) {
    message.tool_calls = (answer.toolCalls ?? []).map((call, index) => ({ id: toolCallId(call, index), type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  const body: Record<string, unknown> = {
    id: answer.id ?? 'chatcmpl-fake-1',
    object: 'chat.completion',
    created: CREATED,
    model: answer.model ?? 'gpt-oss-120b',
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        finish_reason: finishReasonOf(answer),
        message,
        ...(answer.logprobs === undefined ? {} : { logprobs: { content: pieces(contentOf(answer)).map((piece, index) => tokenLogprob(piece, index, answer.logprobs?.top ?? 0)) } }),
      },
    ],
  };
  const usage = usageOf(answer);
  if (usage !== undefined) body.usage = usage;
  if (answer.timeInfo !== null) body.time_info = answer.timeInfo ?? DEFAULT_TIME_INFO;
  return body;
}
