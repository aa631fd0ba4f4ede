import { createLogger } from '../../observability/create-logger.ts';
import { createProvider } from '../../server/build-gateway.ts';
import { FakeOllamaUpstream, type FakeOllamaReply } from '../../../test-support/fake-ollama-upstream.ts';
import { CONTRACT_USAGE, type ContractAnswer } from '../../../test-support/provider-contract-answer.ts';
import { runProviderAdapterContract, type SentRequest } from '../../../test-support/provider-adapter.contract.ts';

const MODEL = 'qwen3';

/** A contract answer in Ollama's wire format: NDJSON lines, whole tool calls with object arguments, `{"error"}` bodies. */
function reply(answer: ContractAnswer): FakeOllamaReply {
  const usage = { promptEvalCount: CONTRACT_USAGE.input, evalCount: CONTRACT_USAGE.output };
  const halves = (text: string): string[] => [text.slice(0, Math.ceil(text.length / 2)), text.slice(Math.ceil(text.length / 2))];
  switch (answer.kind) {
    case 'text':
      return { content: halves(answer.text), ...usage };
    case 'reasoning':
      return { thinking: [answer.reasoning], content: halves(answer.text), ...usage };
    case 'tool-calls':
      return { toolCalls: answer.calls.map((call) => ({ id: call.id, name: call.name, arguments: JSON.parse(call.arguments) as Record<string, unknown> })), ...usage };
    case 'error':
      return { httpError: { status: answer.status, message: answer.message, ...(answer.retryAfterSeconds === undefined ? {} : { retryAfter: String(answer.retryAfterSeconds) }) } };
    case 'cut':
      return { content: halves(answer.text), cut: true };
    case 'hold':
      return { content: halves(answer.text), hold: true };
  }
}

function sentRequest(json: unknown): SentRequest {
  const body = (json ?? {}) as { messages?: { role: string; content: string; images?: string[]; tool_call_id?: string }[]; tools?: { function: { name: string } }[] };
  const messages = body.messages ?? [];
  return {
    texts: messages.map((message) => message.content),
    images: messages.reduce((count, message) => count + (message.images?.length ?? 0), 0),
    toolResults: messages.filter((message) => message.role === 'tool').map((message) => (message.tool_call_id === undefined ? { content: message.content } : { toolCallId: message.tool_call_id, content: message.content })),
    tools: (body.tools ?? []).map((tool) => tool.function.name),
  };
}

runProviderAdapterContract({
  name: 'ollama',
  start: async () => {
    const ollama = await FakeOllamaUpstream.start([{ name: MODEL, family: 'qwen3', capabilities: ['completion', 'tools', 'thinking', 'vision'], contextLength: 40960 }]);
    const adapter = await createProvider({ id: 'ollama', type: 'ollama', base_url: ollama.baseUrl }, createLogger('silent'));
    return {
      adapter,
      model: MODEL,
      reportsUsage: true,
      answer: (answer) => void ollama.replyAlways(reply(answer)),
      lastRequest: () => sentRequest(ollama.chatCalls().at(-1)?.json),
      lastCallClosedEarly: async () => (await ollama.chatCalls().at(-1)?.closedEarly) ?? false,
      async close() {
        await adapter.close();
        await ollama.close();
      },
    };
  },
});
