import assert from 'node:assert/strict';
import { CONTRACT_TOOL, runInboundProtocolContract, type ClientReading } from '../../../../test-support/inbound-protocol.contract.ts';
import { readOpenAIError } from '../../../../test-support/read-openai-error.ts';
import { readSseEvents } from '../../../../test-support/read-sse-events.ts';

interface OutputItem {
  type: string;
  name?: string;
  arguments?: string;
  content?: { type: string; text: string }[];
  summary?: { text: string }[];
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Reads the output items of a Response object as a client would. */
function readOutput(output: readonly OutputItem[]): Omit<ClientReading, 'complete'> {
  const reading: Omit<ClientReading, 'complete'> = { text: '', reasoning: '', toolCalls: [] };
  for (const item of output) {
    if (item.type === 'message') for (const part of item.content ?? []) reading.text += part.text;
    if (item.type === 'reasoning') for (const part of [...(item.summary ?? []), ...(item.content ?? [])]) reading.reasoning += part.text;
    if (item.type === 'function_call') reading.toolCalls.push({ name: item.name ?? '', arguments: item.arguments ?? '' });
  }
  return reading;
}

runInboundProtocolContract({
  name: 'openai responses',
  path: '/v1/responses',
  carries: { tools: true, reasoning: true },
  body: ({ model, text, stream, tools }) => ({
    model,
    stream,
    input: text,
    ...(tools ? { tools: [{ type: 'function', ...CONTRACT_TOOL.function }] } : {}),
  }),
  readWhole(json) {
    const response = json as { status: string; output: OutputItem[] };
    assert.equal(response.status, 'completed');
    return { ...readOutput(response.output), complete: true };
  },
  readStream(body, contentType) {
    const reading: ClientReading = { text: '', reasoning: '', toolCalls: [], complete: false };
    let ended = false;
    let sequence = 0;
    for (const event of readSseEvents(body, contentType)) {
      assert.equal(ended, false, 'nothing after the terminal event');
      const data = JSON.parse(event.data) as { type: string; sequence_number: number; delta?: string; response?: { output: OutputItem[]; error?: unknown } };
      assert.equal(event.event, data.type, 'the SSE event name is the type');
      assert.equal(data.sequence_number, sequence++);
      if (data.type === 'response.output_text.delta') reading.text += data.delta ?? '';
      if (data.type === 'response.reasoning_text.delta' || data.type === 'response.reasoning_summary_text.delta') reading.reasoning += data.delta ?? '';
      if (!TERMINAL.has(data.type)) continue;
      ended = true;
      if (data.type === 'response.failed') {
        // A failed response's error is `{code, message}` (openai-node ResponseError), not the HTTP error shape.
        const error = data.response?.error as { code: unknown; message: unknown } | undefined;
        assert.equal(typeof error?.code, 'string');
        assert.equal(typeof error?.message, 'string');
        reading.error = String(error?.message);
      }
      else {
        reading.complete = true;
        reading.toolCalls = readOutput(data.response?.output ?? []).toolCalls;
      }
    }
    assert.equal(ended, true, 'a stream always ends with response.completed, .incomplete or .failed');
    return reading;
  },
  readError: (_status, json) => readOpenAIError(json),
});
