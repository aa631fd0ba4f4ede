import assert from 'node:assert/strict';
import { CONTRACT_TOOL, runInboundProtocolContract, type ClientReading } from '../../../test-support/inbound-protocol.contract.ts';
import { readOpenAIError } from '../../../test-support/read-openai-error.ts';
import { readSseEvents } from '../../../test-support/read-sse-events.ts';

interface ToolCallDelta {
  index: number;
  function?: { name?: string; arguments?: string };
}

runInboundProtocolContract({
  name: 'openai chat completions',
  path: '/v1/chat/completions',
  carries: { tools: true, reasoning: true },
  body: ({ model, text, stream, tools }) => ({ model, stream, messages: [{ role: 'user', content: text }], ...(tools ? { tools: [CONTRACT_TOOL] } : {}) }),
  readWhole(json) {
    const message = (json as { choices: { message: { content: string | null; reasoning_content?: string; tool_calls?: { function: { name: string; arguments: string } }[] } }[] }).choices[0]?.message;
    return {
      text: message?.content ?? '',
      reasoning: message?.reasoning_content ?? '',
      toolCalls: (message?.tool_calls ?? []).map((call) => ({ name: call.function.name, arguments: call.function.arguments })),
      complete: true,
    };
  },
  readStream(body, contentType) {
    const reading: ClientReading = { text: '', reasoning: '', toolCalls: [], complete: false };
    const calls: { name: string; arguments: string }[] = [];
    for (const event of readSseEvents(body, contentType)) {
      assert.equal(reading.complete, false, 'nothing after [DONE]');
      if (event.data === '[DONE]') {
        reading.complete = true;
        continue;
      }
      const chunk = JSON.parse(event.data) as { error?: unknown; choices?: { delta: { content?: string; reasoning_content?: string; tool_calls?: ToolCallDelta[] } }[] };
      if (chunk.error !== undefined) {
        reading.error = readOpenAIError(chunk);
        continue;
      }
      const delta = chunk.choices?.[0]?.delta;
      reading.text += delta?.content ?? '';
      reading.reasoning += delta?.reasoning_content ?? '';
      for (const call of delta?.tool_calls ?? []) {
        const entry = (calls[call.index] ??= { name: '', arguments: '' });
        entry.name += call.function?.name ?? '';
        entry.arguments += call.function?.arguments ?? '';
      }
    }
    reading.toolCalls = calls;
    return reading;
  },
  readError: (_status, json) => readOpenAIError(json),
});
