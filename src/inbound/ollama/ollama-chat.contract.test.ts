import { CONTRACT_TOOL, runInboundProtocolContract, type ClientReading } from '../../../test-support/inbound-protocol.contract.ts';
import { readOllamaError, readOllamaStream } from '../../../test-support/read-ollama-stream.ts';

interface OllamaMessage {
  content?: string;
  thinking?: string;
  tool_calls?: { function: { name: string; arguments: unknown } }[];
}

function readMessage(message: OllamaMessage | undefined, reading: ClientReading): void {
  reading.text += message?.content ?? '';
  reading.reasoning += message?.thinking ?? '';
  for (const call of message?.tool_calls ?? []) reading.toolCalls.push({ name: call.function.name, arguments: call.function.arguments });
}

runInboundProtocolContract({
  name: 'ollama chat',
  path: '/api/chat',
  carries: { tools: true, reasoning: true },
  body: ({ model, text, stream, tools, reasoning }) => ({
    model,
    stream,
    messages: [{ role: 'user', content: text }],
    ...(tools ? { tools: [CONTRACT_TOOL] } : {}),
    ...(reasoning ? { think: true } : {}),
  }),
  readWhole(json) {
    const reading: ClientReading = { text: '', reasoning: '', toolCalls: [], complete: (json as { done?: unknown }).done === true };
    readMessage((json as { message?: OllamaMessage }).message, reading);
    return reading;
  },
  readStream: (body, contentType) => readOllamaStream(body, contentType, (line, reading) => readMessage(line.message as OllamaMessage | undefined, reading)),
  readError: (_status, json) => readOllamaError(json),
});
