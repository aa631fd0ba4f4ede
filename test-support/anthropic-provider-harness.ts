import { createLogger } from '../src/observability/create-logger.ts';
import { createProvider } from '../src/server/build-gateway.ts';
import type { FakeAnthropicAnswer } from './fake-anthropic-answer.ts';
import { FakeAnthropicServer } from './fake-anthropic-server.ts';
import type { ProviderContractHarness, SentRequest } from './provider-adapter.contract.ts';
import { CONTRACT_USAGE, type ContractAnswer } from './provider-contract-answer.ts';

/** Anthropic's error type for each status (docs.anthropic.com/en/api/errors). */
const ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error', 429: 'rate_limit_error', 500: 'api_error', 503: 'overloaded_error', 529: 'overloaded_error' };

/** Provider type `anthropic` against the fake Anthropic Messages API, answering contract cases in its wire format. */
export async function startAnthropicProviderHarness(): Promise<ProviderContractHarness> {
  const fake = await FakeAnthropicServer.start();
  fake.models(['claude-contract-model']);
  const adapter = await createProvider(fake.providerConfig(), createLogger('silent'));
  return {
    adapter,
    model: 'claude-contract-model',
    reportsUsage: true,
    answer(answer: ContractAnswer) {
      if (answer.kind === 'error') {
        const headers: Record<string, string> = answer.retryAfterSeconds === undefined ? {} : { 'retry-after': String(answer.retryAfterSeconds) };
        fake.fail(answer.status, ERROR_TYPES[answer.status] ?? 'api_error', answer.message, headers, 1);
        return;
      }
      fake.fail(200, '', '', {}, 0);
      fake.answer(toFakeAnswer(answer));
    },
    lastRequest: () => sentRequest(fake.messageRequests().at(-1)),
    lastCallClosedEarly: async () => (await fake.calls('/v1/messages').at(-1)?.aborted) ?? false,
    async close() {
      await adapter.close();
      await fake.close();
    },
  };
}

function toFakeAnswer(answer: Exclude<ContractAnswer, { kind: 'error' }>): FakeAnthropicAnswer {
  const usage = { input_tokens: CONTRACT_USAGE.input, output_tokens: CONTRACT_USAGE.output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const base = { usage, writeBytes: 5 };
  switch (answer.kind) {
    case 'text':
      return { ...base, blocks: [{ type: 'text', text: answer.text }] };
    case 'reasoning':
      return { ...base, blocks: [{ type: 'thinking', thinking: answer.reasoning }, { type: 'text', text: answer.text }] };
    case 'tool-calls':
      return { ...base, blocks: answer.calls.map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: JSON.parse(call.arguments) as Record<string, unknown> })) };
    case 'cut':
      return { ...base, blocks: [{ type: 'text', text: answer.text }], cut: true };
    case 'hold':
      return { ...base, blocks: [{ type: 'text', text: answer.text }], holdOpen: true };
  }
}

function sentRequest(body: unknown): SentRequest {
  const request = (typeof body === 'object' && body !== null ? body : {}) as { system?: { text: string }[]; messages?: { content: string | Record<string, unknown>[] }[]; tools?: { name: string }[] };
  const sent: SentRequest = { texts: (request.system ?? []).map((block) => block.text), images: 0, toolResults: [], tools: (request.tools ?? []).map((tool) => tool.name) };
  for (const message of request.messages ?? []) {
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    let text = '';
    for (const block of blocks) {
      if (block.type === 'text') text += String(block.text);
      else if (block.type === 'image') sent.images += 1;
      else if (block.type === 'tool_result') sent.toolResults.push({ toolCallId: String(block.tool_use_id), content: typeof block.content === 'string' ? block.content : JSON.stringify(block.content) });
    }
    if (text !== '') sent.texts.push(text);
  }
  return sent;
}
