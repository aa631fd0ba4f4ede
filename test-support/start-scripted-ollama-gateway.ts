import { Ollama } from 'ollama';
import type { ChatStreamEvent } from '../src/canonical/chat-stream-event.ts';
import { gatewayPerSuite, type SuiteFixture } from './gateway-per-suite.ts';
import { ScriptedProvider } from './scripted-provider.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

/** Upstream timing the scripted answers report, as Cerebras' `time_info` would. */
export const SCRIPTED_TIMING = { queueMs: 1, promptMs: 20, completionMs: 300, totalMs: 321, source: 'upstream' as const };

/** `events` as a whole answer: opened, then finished with upstream usage and timing. */
export function scriptedAnswer(events: ChatStreamEvent[]): ChatStreamEvent[] {
  return [{ type: 'response-start' }, ...events, { type: 'finish', finishReason: 'stop', usage: { input: { total: 26 }, output: { total: 9 }, source: 'upstream' }, timing: SCRIPTED_TIMING }];
}

export interface ScriptedOllamaGateway extends SuiteFixture {
  gateway: TestGateway;
  provider: ScriptedProvider;
  ollama: Ollama;
}

/**
 * llmux with a scripted provider and the models the ollama-js tests use (an alias, one with
 * declared capabilities and context length, one that can insert), and an ollama-js client for it.
 */
export async function startScriptedOllamaGateway(): Promise<ScriptedOllamaGateway> {
  const provider = new ScriptedProvider('scripted', [{ id: 'gpt-oss-120b', created: 1_754_550_000 }, { id: 'nomic-embed-text' }]);
  const gateway = await startTestGateway(
    {
      models: [
        { name: 'qwen3', target: 'scripted/qwen-3-32b' },
        { name: 'plain', target: 'scripted/plain-model', capabilities: ['completion'], context_length: 32000 },
        { name: 'coder', target: 'scripted/coder', capabilities: ['completion', 'insert'] },
      ],
    },
    { adapters: [provider] },
  );
  return { gateway, provider, ollama: new Ollama({ host: gateway.baseUrl }), close: () => gateway.close() };
}

/** Before each test: no recorded requests, and a plain "Hello world" answer. */
function resetScriptedOllamaProvider({ provider }: ScriptedOllamaGateway): void {
  provider.requests.length = 0;
  provider.embedRequests.length = 0;
  provider.script = scriptedAnswer([{ type: 'text-delta', id: 't', text: 'Hello' }, { type: 'text-delta', id: 't', text: ' world' }]);
}

/** The scripted ollama-js gateway for a whole suite (see gatewayPerSuite), reset before each test. */
export function scriptedOllamaGatewayPerSuite(): ScriptedOllamaGateway {
  return gatewayPerSuite(startScriptedOllamaGateway, resetScriptedOllamaProvider);
}
