import { FakeCerebrasUpstream } from '../fake-cerebras-upstream.ts';
import { FakePoeServer } from '../fake-poe-server.ts';
import { ScriptedProvider, textScript } from '../scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../start-test-gateway.ts';

export interface FuzzGateway {
  gateway: TestGateway;
  close(): Promise<void>;
}

/**
 * llmux with the three kinds of upstream the fuzz routes name: a Cerebras-like OpenAI-compatible
 * server (`cerebras/…`), a Poe bot-protocol server (`poebot/…`, usage counted by llmux), and an
 * in-process provider with embeddings and images (`scripted/…`). Every upstream answers well, so
 * any 5xx is llmux's own.
 */
export async function startFuzzGateway(): Promise<FuzzGateway> {
  const cerebras = await FakeCerebrasUpstream.start();
  cerebras.answer({ text: 'fuzzed' });
  // No quota: a long run would spend the fake key's day of requests, and every later case would
  // test only the upstream's 429.
  cerebras.budget('csk-test-key', { tokensPerMinute: Number.MAX_SAFE_INTEGER, requestsPerDay: Number.MAX_SAFE_INTEGER });
  const poe = await FakePoeServer.start();
  poe.models = [];
  poe.bot('EchoBot', [{ event: 'text', data: { text: 'echo' } }]);
  const scripted = new ScriptedProvider('scripted', [{ id: 'm' }]);
  scripted.script = textScript('scripted');
  const gateway = await startTestGateway(
    {
      providers: [
        cerebras.providerConfig(),
        { id: 'poebot', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl },
      ],
    },
    { adapters: [scripted] },
  );
  return {
    gateway,
    close: async () => {
      await gateway.close();
      await poe.close();
      await cerebras.server.close();
    },
  };
}
