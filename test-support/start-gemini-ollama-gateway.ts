import { FakeGeminiServer } from './fake-gemini-server.ts';
import { FakeOllamaUpstream } from './fake-ollama-upstream.ts';
import { gatewayPerSuite, type SuiteFixture } from './gateway-per-suite.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

export interface GeminiOllamaGateway<Client> extends SuiteFixture {
  gemini: FakeGeminiServer;
  ollama: FakeOllamaUpstream;
  gateway: TestGateway;
  client: Client;
}

/**
 * llmux in front of a fake Gemini (provider `gem`: gemini-3-pro-preview, thinking) and a fake
 * Ollama (provider `box`: qwen3 with tools, thinking and vision), and the client `makeClient`
 * makes for it; for a whole suite (see gatewayPerSuite), the upstreams' recorded calls cleared
 * before each test.
 */
export function geminiOllamaGatewayPerSuite<Client>(makeClient: (gateway: TestGateway) => Client): GeminiOllamaGateway<Client> {
  const start = async (): Promise<GeminiOllamaGateway<Client>> => {
    const gemini = await FakeGeminiServer.start({ apiKey: 'g-key', models: [{ name: 'gemini-3-pro-preview', thinking: true }] });
    const ollama = await FakeOllamaUpstream.start([{ name: 'qwen3', family: 'qwen3', capabilities: ['completion', 'tools', 'thinking', 'vision'], contextLength: 40960 }]);
    const gateway = await startTestGateway({
      providers: [
        { id: 'gem', type: 'gemini', api_key: 'g-key', base_url: gemini.baseUrl },
        { id: 'box', type: 'ollama', base_url: ollama.baseUrl },
      ],
    });
    const close = async (): Promise<void> => {
      await gateway.close();
      await gemini.close();
      await ollama.close();
    };
    return { gemini, ollama, gateway, client: makeClient(gateway), close };
  };
  return gatewayPerSuite(start, ({ gemini, ollama }) => {
    gemini.calls.length = 0;
    ollama.calls.length = 0;
  });
}
