import { createLogger } from '../../observability/create-logger.ts';
import { createProvider } from '../../server/build-gateway.ts';
import { FakeGeminiServer, type FakeGeminiReply } from '../../../test-support/fake-gemini-server.ts';
import type { ContractAnswer } from '../../../test-support/provider-contract-answer.ts';
import { CONTRACT_USAGE } from '../../../test-support/provider-contract-answer.ts';
import { runProviderAdapterContract, type SentRequest } from '../../../test-support/provider-adapter.contract.ts';

const MODEL = 'gemini-2.5-flash';
const GOOGLE_STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

/** A contract answer in Gemini's wire format: parts per streamed event, thoughts as `thought` parts, errors as google.rpc.Status. */
function reply(answer: ContractAnswer): FakeGeminiReply {
  const usage = { promptTokenCount: CONTRACT_USAGE.input, candidatesTokenCount: CONTRACT_USAGE.output };
  const halves = (text: string): { text: string }[][] => [[{ text: text.slice(0, Math.ceil(text.length / 2)) }], [{ text: text.slice(Math.ceil(text.length / 2)) }]];
  switch (answer.kind) {
    case 'text':
      return { chunks: halves(answer.text), usage };
    case 'reasoning':
      return { chunks: [[{ text: answer.reasoning, thought: true }], ...halves(answer.text)], usage };
    case 'tool-calls':
      return { chunks: answer.calls.map((call) => [{ functionCall: { id: call.id, name: call.name, args: JSON.parse(call.arguments) as Record<string, unknown> } }]), usage };
    case 'error':
      return { error: { httpStatus: answer.status, status: GOOGLE_STATUS[answer.status] ?? 'UNKNOWN', message: answer.message, ...(answer.retryAfterSeconds === undefined ? {} : { retryDelay: `${answer.retryAfterSeconds}s` }) } };
    case 'cut':
      return { chunks: halves(answer.text), cut: true };
    case 'hold':
      return { chunks: halves(answer.text), hold: true };
  }
}

function sentRequest(json: unknown): SentRequest {
  const body = (json ?? {}) as { contents?: { parts?: Record<string, unknown>[] }[]; systemInstruction?: { parts?: { text?: string }[] }; tools?: { functionDeclarations?: { name: string }[] }[] };
  const parts = (body.contents ?? []).flatMap((content) => content.parts ?? []);
  return {
    texts: [...(body.systemInstruction?.parts ?? []).map((part) => part.text ?? ''), ...parts.filter((part) => typeof part.text === 'string').map((part) => String(part.text))],
    images: parts.filter((part) => part.inlineData !== undefined || part.fileData !== undefined).length,
    toolResults: parts
      .filter((part) => part.functionResponse !== undefined)
      .map((part) => {
        const response = (part.functionResponse as { response: Record<string, unknown> }).response;
        return { content: JSON.stringify(response) };
      }),
    tools: (body.tools ?? []).flatMap((tool) => (tool.functionDeclarations ?? []).map((declaration) => declaration.name)),
  };
}

runProviderAdapterContract({
  name: 'gemini',
  start: async () => {
    const gemini = await FakeGeminiServer.start({ apiKey: 'contract-key', models: [{ name: MODEL, thinking: true }] });
    const adapter = await createProvider({ id: 'gemini', type: 'gemini', api_key: 'contract-key', base_url: gemini.baseUrl }, createLogger('silent'));
    let answer: ContractAnswer = { kind: 'text', text: '' };
    return {
      adapter,
      model: MODEL,
      reportsUsage: true,
      answer: (next) => {
        answer = next;
        gemini.replyAlways(reply(answer));
      },
      lastRequest: () => sentRequest(gemini.generateCalls().at(-1)?.json),
      lastCallClosedEarly: async () => (await gemini.generateCalls().at(-1)?.closedEarly) ?? false,
      async close() {
        await adapter.close();
        await gemini.close();
      },
    };
  },
});
