/**
 * An OpenAI-style chat stream, as vLLM and OpenAI send it: reasoning (`Think.`), text (`Hi ☃`),
 * the finish, then `usage` in a chunk of its own with empty `choices`, and `[DONE]`.
 */
export function openAIStyleStream(usage: Record<string, unknown>): string[] {
  const head = '{"id":"chatcmpl-v1","object":"chat.completion.chunk","created":1745000000,"model":"qwen3-32b"';
  return [
    `data: ${head},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`,
    `data: ${head},"choices":[{"index":0,"delta":{"reasoning_content":"Think."},"finish_reason":null}]}\n\n`,
    `data: ${head},"choices":[{"index":0,"delta":{"content":"Hi ☃"},"finish_reason":null}]}\n\n`,
    `data: ${head},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`,
    `data: ${head},"choices":[],"usage":${JSON.stringify(usage)}}\n\n`,
    'data: [DONE]\n\n',
  ];
}
