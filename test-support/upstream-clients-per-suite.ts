import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { GatewayConfigInput } from '../src/config/gateway-config-schema.ts';
import { gatewayPerSuite, type SuiteFixture } from './gateway-per-suite.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

/** A fake upstream llmux is served from: what it received, and its close. */
export interface RecordingUpstream {
  readonly calls: unknown[];
  close(): Promise<void>;
}

export interface UpstreamClients<Upstream extends RecordingUpstream> extends SuiteFixture {
  upstream: Upstream;
  gateway: TestGateway;
  openai: OpenAI;
  ollama: Ollama;
}

/**
 * llmux configured by `configFor` in front of the fake upstream `startUpstream` starts, with an
 * openai SDK client (no retries) and an ollama-js client for it; for a whole suite (see
 * gatewayPerSuite), the upstream's recorded calls cleared before each test.
 */
export function upstreamClientsPerSuite<Upstream extends RecordingUpstream>(startUpstream: () => Promise<Upstream>, configFor: (upstream: Upstream) => GatewayConfigInput): UpstreamClients<Upstream> {
  const start = async (): Promise<UpstreamClients<Upstream>> => {
    const upstream = await startUpstream();
    const gateway = await startTestGateway(configFor(upstream));
    const close = async (): Promise<void> => {
      await gateway.close();
      await upstream.close();
    };
    return { upstream, gateway, openai: new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 }), ollama: new Ollama({ host: gateway.baseUrl }), close };
  };
  return gatewayPerSuite(start, ({ upstream }) => {
    upstream.calls.length = 0;
  });
}
