import OpenAI from 'openai';
import { gatewayPerSuite, type SuiteFixture } from './gateway-per-suite.ts';
import { ScriptedProvider, textScript } from './scripted-provider.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

export interface ScriptedOpenAIGateway extends SuiteFixture {
  gateway: TestGateway;
  provider: ScriptedProvider;
  client: OpenAI;
}

/** llmux serving `gpt-test` from a scripted provider, and an openai SDK client for it (no retries). */
export async function startScriptedOpenAIGateway(): Promise<ScriptedOpenAIGateway> {
  const provider = new ScriptedProvider('scripted', [{ id: 'model-a' }]);
  const gateway = await startTestGateway({ models: [{ name: 'gpt-test', target: 'scripted/model-a' }] }, { adapters: [provider] });
  return { gateway, provider, client: new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 }), close: () => gateway.close() };
}

/** Before each test: no recorded requests, and a plain text answer. */
function resetScriptedOpenAIProvider({ provider }: ScriptedOpenAIGateway): void {
  provider.requests.length = 0;
  provider.script = textScript('Hello there ☃');
}

/** The scripted openai SDK gateway for a whole suite (see gatewayPerSuite), reset before each test. */
export function scriptedOpenAIGatewayPerSuite(): ScriptedOpenAIGateway {
  return gatewayPerSuite(startScriptedOpenAIGateway, resetScriptedOpenAIProvider);
}
