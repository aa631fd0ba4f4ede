import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { GatewayConfigInput } from '../src/config/gateway-config-schema.ts';
import { gatewayPerSuite, type SuiteFixture } from './gateway-per-suite.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

/** A fake upstream llmux is served from. */
export interface FakeUpstream {
  close(): Promise<void>;
}

export interface UpstreamClients<Upstream extends FakeUpstream> extends SuiteFixture {
  upstream: Upstream;
  gateway: TestGateway;
  openai: OpenAI;
  ollama: Ollama;
}

/**
 * llmux configured by `configFor` in front of the fake upstream `startUpstream` starts, with an
 * openai SDK client (no retries) and an ollama-js client for it; for a whole suite (see
 * gatewayPerSuite), the upstream `reset` before each test.
 */
export function upstreamClientsPerSuite<Upstream extends FakeUpstream>(
  startUpstream: () => Promise<Upstream>,
  configFor: (upstream: Upstream) => GatewayConfigInput,
  reset: (upstream: Upstream) => void,
): UpstreamClients<Upstream> {
  const start = async (): Promise<UpstreamClients<Upstream>> => {
    const upstream = await startUpstream();
    const gateway = await startTestGateway(configFor(upstream));
    const close = async (): Promise<void> => {
      await gateway.close();
      await upstream.close();
    };
    return { upstream, gateway, openai: new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 }), ollama: new Ollama({ host: gateway.baseUrl }), close };
  };
  return gatewayPerSuite(start, ({ upstream }) => reset(upstream));
}

/** The usual reset: the upstream forgets the calls it recorded. */
export function clearCalls(upstream: { readonly calls: unknown[] }): void {
  upstream.calls.length = 0;
}
