import { runInboundProtocolContract } from '../../../test-support/inbound-protocol.contract.ts';
import { readOllamaError, readOllamaStream } from '../../../test-support/read-ollama-stream.ts';

runInboundProtocolContract({
  name: 'ollama generate',
  path: '/api/generate',
  carries: { tools: false, reasoning: true },
  body: ({ model, text, stream, reasoning }) => ({ model, stream, prompt: text, ...(reasoning ? { think: true } : {}) }),
  readWhole(json) {
    const answer = json as { response?: string; thinking?: string; done?: unknown };
    return { text: answer.response ?? '', reasoning: answer.thinking ?? '', toolCalls: [], complete: answer.done === true };
  },
  readStream: (body, contentType) =>
    readOllamaStream(body, contentType, (line, reading) => {
      reading.text += typeof line.response === 'string' ? line.response : '';
      reading.reasoning += typeof line.thinking === 'string' ? line.thinking : '';
    }),
  readError: (_status, json) => readOllamaError(json),
});
