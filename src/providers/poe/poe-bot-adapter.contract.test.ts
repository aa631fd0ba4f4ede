import { createLogger } from '../../observability/create-logger.ts';
import { createProvider } from '../../server/build-gateway.ts';
import { FakePoeServer, type PoeBotBehaviour, type PoeWireEvent } from '../../../test-support/fake-poe-server.ts';
import { poeThinking } from '../../../test-support/openai-chat-wire.ts';
import type { ContractAnswer } from '../../../test-support/provider-contract-answer.ts';
import { runProviderAdapterContract, type SentRequest } from '../../../test-support/provider-adapter.contract.ts';

const BOT = 'ContractBot';

/**
 * Poe's bot protocol as fastapi_poe speaks it: `text` events, tool calls as OpenAI chunks in
 * `json` events, errors as HTTP statuses with `{"detail"}` bodies, and no usage at all.
 */
function behaviour(answer: ContractAnswer): PoeBotBehaviour {
  const text = (value: string): PoeWireEvent[] => [value.slice(0, Math.ceil(value.length / 2)), value.slice(Math.ceil(value.length / 2))].map((piece) => ({ event: 'text', data: { text: piece } }));
  switch (answer.kind) {
    case 'text':
      return { events: text(answer.text), chunkBytes: 5 };
    case 'reasoning':
      return { events: text(poeThinking(answer.reasoning) + answer.text), chunkBytes: 5 };
    case 'tool-calls': {
      const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): PoeWireEvent => ({ event: 'json', data: { choices: [{ index: 0, delta, finish_reason: finishReason }] } });
      const events = answer.calls.flatMap((call, index) => [
        chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
        chunk({ tool_calls: [{ index, function: { arguments: call.arguments } }] }),
      ]);
      return { events: [...events, chunk({}, 'tool_calls')] };
    }
    case 'error':
      return {
        events: [],
        httpError: { status: answer.status, body: { detail: answer.message }, ...(answer.retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(answer.retryAfterSeconds) } }) },
      };
    case 'cut':
      return { events: text(answer.text), done: false };
    case 'hold':
      return { events: text(answer.text), holdOpen: true };
  }
}

interface PoeQueryMessage {
  role?: string;
  content?: string;
  attachments?: unknown[];
}

function sentRequest(body: Record<string, unknown>): SentRequest {
  const query = (body['query'] ?? []) as PoeQueryMessage[];
  const results = (body['tool_results'] ?? []) as { tool_call_id?: string; content?: string }[];
  const tools = (body['tools'] ?? []) as { function?: { name?: string } }[];
  return {
    texts: query.map((message) => message.content ?? ''),
    images: query.reduce((count, message) => count + (message.attachments?.length ?? 0), 0),
    toolResults: results.map((result) => (result.tool_call_id === undefined ? { content: result.content ?? '' } : { toolCallId: result.tool_call_id, content: result.content ?? '' })),
    tools: (tools ?? []).map((tool) => tool.function?.name ?? ''),
  };
}

runProviderAdapterContract({
  name: 'poe (bot protocol)',
  start: async () => {
    const poe = await FakePoeServer.start();
    const adapter = await createProvider(
      { id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl },
      createLogger('silent'),
    );
    return {
      adapter,
      model: BOT,
      reportsUsage: false,
      answer: (answer) => void poe.bot(BOT, behaviour(answer)),
      lastRequest: () => sentRequest(poe.lastBotCall().body),
      lastCallClosedEarly: () => poe.lastBotCall().closedEarly,
      async close() {
        await adapter.close();
        await poe.close();
      },
    };
  },
});
