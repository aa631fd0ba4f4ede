import type { ServerResponse } from 'node:http';
import type { ProviderConfig } from '../src/config/gateway-config-schema.ts';
import { createLogger } from '../src/observability/create-logger.ts';
import { createProvider } from '../src/server/build-gateway.ts';
import { FakeUpstreamServer, type RecordedCall } from './fake-upstream-server.ts';
import { openAIChatCompletion, openAIChatStreamChunks, type OpenAIChatWireDialect } from './openai-chat-wire.ts';
import type { ContractAnswer } from './provider-contract-answer.ts';
import type { ProviderContractHarness, SentRequest } from './provider-adapter.contract.ts';

export interface OpenAIWireHarnessOptions {
  dialect: OpenAIChatWireDialect;
  /** The provider's config, pointed at the fake's `/v1`. */
  config(baseUrl: string): ProviderConfig;
  /** The provider's own error body for a status. */
  errorBody(status: number, message: string): unknown;
}

/** Bytes per write of a streamed body: every line and many characters arrive split. */
const WRITE_BYTES = 5;

/**
 * A provider that speaks OpenAI chat completions (openai-compatible, Cerebras, Poe's OpenAI API)
 * against a loopback upstream answering contract cases in that wire format.
 */
export async function startOpenAIWireHarness(options: OpenAIWireHarnessOptions): Promise<ProviderContractHarness> {
  const server = await FakeUpstreamServer.start();
  const path = '/v1/chat/completions';
  server.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'contract-model', object: 'model', created: 1721692800, owned_by: 'contract' }] });
  const adapter = await createProvider(options.config(`${server.baseUrl}/v1`), createLogger('silent'));
  return {
    adapter,
    model: 'contract-model',
    reportsUsage: true,
    answer(answer: ContractAnswer) {
      server.on('POST', path, (call, response) => respond(call, response, answer, options));
    },
    lastRequest: () => sentRequest(server.lastCall(path)?.json),
    lastCallClosedEarly: async () => (await server.lastCall(path)?.aborted) ?? false,
    async close() {
      await adapter.close();
      await server.close();
    },
  };
}

async function respond(call: RecordedCall, response: ServerResponse, answer: ContractAnswer, options: OpenAIWireHarnessOptions): Promise<void> {
  if (answer.kind === 'error') {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (answer.retryAfterSeconds !== undefined) headers['retry-after'] = String(answer.retryAfterSeconds);
    response.writeHead(answer.status, headers);
    response.end(JSON.stringify(options.errorBody(answer.status, answer.message)));
    return;
  }
  const streamed = typeof call.json === 'object' && call.json !== null && (call.json as { stream?: unknown }).stream === true;
  if (!streamed) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(openAIChatCompletion(answer, options.dialect)));
    return;
  }
  const lines = openAIChatStreamChunks(answer, options.dialect).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
  if (answer.kind !== 'cut' && answer.kind !== 'hold') lines.push('data: [DONE]\n\n');
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const bytes = Buffer.from(lines.join(''), 'utf8');
  for (let offset = 0; offset < bytes.length; offset += WRITE_BYTES) {
    if (response.destroyed) return;
    response.write(bytes.subarray(offset, offset + WRITE_BYTES));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (answer.kind === 'hold') {
    await call.aborted;
    return;
  }
  response.end();
}

interface OpenAIMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
}

function sentRequest(body: unknown): SentRequest {
  const request = (typeof body === 'object' && body !== null ? body : {}) as { messages?: OpenAIMessage[]; tools?: { function?: { name?: string } }[] };
  const sent: SentRequest = { texts: [], images: 0, toolResults: [], tools: (request.tools ?? []).map((tool) => tool.function?.name ?? '') };
  for (const message of request.messages ?? []) {
    const parts = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? (message.content as { type?: string; text?: string }[]) : [];
    const text = parts.map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
    sent.images += parts.filter((part) => part.type === 'image_url').length;
    if (message.role === 'tool') sent.toolResults.push(message.tool_call_id === undefined ? { content: text } : { toolCallId: message.tool_call_id, content: text });
    else if (text !== '') sent.texts.push(text);
  }
  return sent;
}
