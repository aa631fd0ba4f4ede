import OpenAI from 'openai';
import { FakeCerebrasUpstream } from './fake-cerebras-upstream.ts';
import { gatewayPerSuite, type SuiteFixture } from './gateway-per-suite.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

export interface CerebrasOpenAIGateway extends SuiteFixture {
  cerebras: FakeCerebrasUpstream;
  gateway: TestGateway;
  client: OpenAI;
}

/** llmux with the real cerebras adapter in front of a fake Cerebras (`gpt-oss` its alias for gpt-oss-120b), and an openai SDK client for it. */
async function startCerebrasOpenAIGateway(): Promise<CerebrasOpenAIGateway> {
  const cerebras = await FakeCerebrasUpstream.start();
  const gateway = await startTestGateway({ providers: [cerebras.providerConfig()], models: [{ name: 'gpt-oss', target: 'cerebras/gpt-oss-120b' }] });
  const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'client-key', maxRetries: 0 });
  const close = async (): Promise<void> => {
    // After an aborted stream, Node's fetch opens a spare connection that never sends a request;
    // the server's close would wait for it until the headers timeout.
    gateway.app.server.closeAllConnections();
    await gateway.close();
    await cerebras.close();
  };
  return { cerebras, gateway, client, close };
}

/** The fake Cerebras gateway for a whole suite (see gatewayPerSuite), its recorded calls cleared before each test. */
export function cerebrasOpenAIGatewayPerSuite(): CerebrasOpenAIGateway {
  return gatewayPerSuite(startCerebrasOpenAIGateway, ({ cerebras }) => {
    cerebras.server.calls.length = 0;
  });
}
