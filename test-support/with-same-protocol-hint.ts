import type { ChatMessage } from '../src/canonical/chat-message.ts';
import type { ChatRequest } from '../src/canonical/chat-request.ts';
import type { OpenAIPlainMessage, ProviderAdapter, SameProtocolHint } from '../src/providers/provider-adapter.ts';
import type { ProviderContractHarness } from './provider-adapter.contract.ts';

/**
 * The hint the OpenAI chat route gives with a plain body (see SameProtocolHint): the canonical
 * messages as OpenAI text turns, when each is one (text parts only, no tool turns); else none.
 */
export function sameProtocolHintFor(request: ChatRequest): SameProtocolHint | undefined {
  const messages: OpenAIPlainMessage[] = [];
  for (const message of request.messages) {
    const plain = plainMessage(message);
    if (plain === undefined) return undefined;
    messages.push(plain);
  }
  return { openAIMessages: messages };
}

function plainMessage(message: ChatMessage): OpenAIPlainMessage | undefined {
  if (message.role === 'tool' || message.parts.length !== 1) return undefined;
  const part = message.parts[0];
  if (part?.type !== 'text' || part.logprobs !== undefined) return undefined;
  return message.name === undefined ? { role: message.role, content: part.text } : { role: message.role, content: part.text, name: message.name };
}

/**
 * A provider contract harness whose adapter is called as the OpenAI chat route calls it on the
 * same-protocol fast path: with the hint, whenever the request's messages are plain text turns.
 * `hinted()` counts the calls that carried one (a suite that never did would prove nothing).
 */
export async function withSameProtocolHint(start: Promise<ProviderContractHarness>): Promise<ProviderContractHarness & { hinted(): number }> {
  const harness = await start;
  const adapter = harness.adapter;
  let hinted = 0;
  const hint = (request: ChatRequest): SameProtocolHint | undefined => {
    const found = sameProtocolHintFor(request);
    if (found !== undefined) hinted++;
    return found;
  };
  const wrapped: ProviderAdapter = new Proxy(adapter, {
    get(target, key) {
      if (key === 'completeChat') return (request: ChatRequest, context: Parameters<ProviderAdapter['completeChat']>[1]) => target.completeChat(request, context, hint(request));
      if (key === 'streamChat') return (request: ChatRequest, context: Parameters<ProviderAdapter['streamChat']>[1]) => target.streamChat(request, context, hint(request));
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    adapter: wrapped,
    model: harness.model,
    reportsUsage: harness.reportsUsage,
    answer: (answer) => harness.answer(answer),
    lastRequest: () => harness.lastRequest(),
    lastCallClosedEarly: () => harness.lastCallClosedEarly(),
    close: () => harness.close(),
    hinted: () => hinted,
  };
}
