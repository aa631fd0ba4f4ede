import type OpenAI from 'openai';

export interface OpenAIChatStreamReading {
  /** The `content` deltas, joined. */
  content: string;
  /** The `reasoning_content` deltas (llmux's reasoning field), joined. */
  reasoning: string;
  /** The last finish reason sent, null when none was. */
  finishReason: string | null;
  /** The last usage sent (`stream_options.include_usage`). */
  usage: OpenAI.CompletionUsage | undefined;
}

/** A streamed chat completion, as the openai SDK hands it over, read to its end. */
export async function readOpenAIChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<OpenAIChatStreamReading> {
  const reading: OpenAIChatStreamReading = { content: '', reasoning: '', finishReason: null, usage: undefined };
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta as { content?: string | null; reasoning_content?: string } | undefined;
    reading.content += delta?.content ?? '';
    reading.reasoning += delta?.reasoning_content ?? '';
    reading.finishReason = chunk.choices[0]?.finish_reason ?? reading.finishReason;
    if (chunk.usage != null) reading.usage = chunk.usage;
  }
  return reading;
}
