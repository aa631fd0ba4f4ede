import assert from 'node:assert/strict';
import { runInboundProtocolContract, type ClientReading } from '../../../test-support/inbound-protocol.contract.ts';
import { readOpenAIError } from '../../../test-support/read-openai-error.ts';
import { readSseEvents } from '../../../test-support/read-sse-events.ts';

runInboundProtocolContract({
  name: 'openai completions',
  path: '/v1/completions',
  carries: { tools: false, reasoning: false },
  body: ({ model, text, stream }) => ({ model, stream, prompt: text }),
  readWhole: (json) => ({ text: (json as { choices: { text: string }[] }).choices[0]?.text ?? '', reasoning: '', toolCalls: [], complete: true }),
  readStream(body, contentType) {
    const reading: ClientReading = { text: '', reasoning: '', toolCalls: [], complete: false };
    for (const event of readSseEvents(body, contentType)) {
      assert.equal(reading.complete, false, 'nothing after [DONE]');
      if (event.data === '[DONE]') {
        reading.complete = true;
        continue;
      }
      const chunk = JSON.parse(event.data) as { error?: unknown; choices?: { text?: string }[] };
      if (chunk.error !== undefined) reading.error = readOpenAIError(chunk);
      else reading.text += chunk.choices?.[0]?.text ?? '';
    }
    return reading;
  },
  readError: (_status, json) => readOpenAIError(json),
});
