import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { ScriptedProvider, textScript } from '../test-support/scripted-provider.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * README "Bounded work": a body may nest arrays and objects 512 levels deep, deeper is a 400 in the
 * protocol's shape naming the limit (Ollama's own decoder goes to 10,000; llmux stops lower on
 * purpose). Each route gets a body whose deepest point is exactly 511, 512, 513, 10,000 and 10,001
 * levels down, placed where the route passes it on to the upstream.
 */
interface DeepRoute {
  path: string;
  /** The body with `deep` inside it; `enclosing` is how many levels hold `deep` (hand-counted). */
  body: (deep: string) => string;
  enclosing: number;
  /** Where the upstream received what the client sent: the deep value must arrive whole. */
  received: () => unknown;
  refusal: (body: unknown) => string | undefined;
}

const openAIMessage = (body: unknown): string | undefined => (body as { error?: { message?: string } }).error?.message;
const ollamaMessage = (body: unknown): string | undefined => (body as { error?: string }).error;
const anthropicMessage = (body: unknown): string | undefined => {
  const { type, error } = body as { type?: string; error?: { type?: string; message?: string } };
  return type === 'error' && error?.type === 'invalid_request_error' ? error.message : undefined;
};

describe('JSON nesting: 512 levels pass on every route, deeper is a 400 naming the limit, never a 500', () => {
  let cerebras: FakeCerebrasUpstream;
  let scripted: ScriptedProvider;
  let gateway: TestGateway;
  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    cerebras.answer({ text: 'deep enough' });
    scripted = new ScriptedProvider('scripted', [{ id: 'm' }]);
    scripted.script = textScript('ok');
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()] }, { adapters: [scripted] });
  });
  after(async () => {
    await gateway.close();
    await cerebras.server.close();
  });

  const lastChat = (): unknown => cerebras.chatRequests().at(-1);
  const schema = (deep: string): string => `{"type":"object","properties":{"a":{"type":"array","examples":${deep}}}}`;
  const routes: (DeepRoute & { name: string })[] = [
    // { response_format { json_schema { schema { properties { a { examples: deep
    { name: 'chat', path: '/v1/chat/completions', enclosing: 6, body: (deep) => `{"model":"cerebras/llama3.1-8b","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${schema(deep)}}}}`, received: lastChat, refusal: openAIMessage },
    // { extra: deep
    { name: 'images', path: '/v1/images/generations', enclosing: 1, body: (deep) => `{"model":"scripted/m","prompt":"a cat","extra":${deep}}`, received: () => scripted.imageRequests.at(-1), refusal: openAIMessage },
    // { format { properties { a { examples: deep
    { name: 'Ollama chat', path: '/api/chat', enclosing: 4, body: (deep) => `{"model":"cerebras/llama3.1-8b","stream":false,"messages":[{"role":"user","content":"hi"}],"format":${schema(deep)}}`, received: lastChat, refusal: ollamaMessage },
    { name: 'Ollama generate', path: '/api/generate', enclosing: 4, body: (deep) => `{"model":"cerebras/llama3.1-8b","stream":false,"prompt":"hi","format":${schema(deep)}}`, received: lastChat, refusal: ollamaMessage },
    // { messages [ { content [ { input { city: deep
    { name: 'Anthropic messages', path: '/v1/messages', enclosing: 6, body: (deep) => `{"model":"cerebras/llama3.1-8b","max_tokens":10,"messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":${deep}}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}],"tools":[{"name":"get_weather","input_schema":{"type":"object"}}]}`, received: lastChat, refusal: anthropicMessage },
    // { text { format { schema { properties { a { examples: deep
    { name: 'Responses', path: '/v1/responses', enclosing: 6, body: (deep) => `{"model":"cerebras/llama3.1-8b","input":"hi","store":false,"text":{"format":{"type":"json_schema","name":"x","schema":${schema(deep)}}}}`, received: lastChat, refusal: openAIMessage },
  ];

  const arrays = (levels: number): string => '['.repeat(levels) + '7' + ']'.repeat(levels);
  const post = (path: string, body: string): Promise<Response> => fetch(gateway.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  for (const route of routes) {
    it(`${route.name} (${route.path}): 511 and 512 levels reach the upstream whole`, async () => {
      for (const depth of [511, 512]) {
        const levels = depth - route.enclosing;
        const answer = await post(route.path, route.body(arrays(levels)));
        const text = await answer.text();
        assert.equal(answer.status, 200, `${depth} levels: ${text.slice(0, 300)}`);
        // The upstream got the innermost value under all its levels (tool-call input as a JSON text).
        const received = JSON.stringify(route.received());
        assert.ok(received.includes(arrays(levels)) || received.includes(JSON.stringify(arrays(levels)).slice(1, -1)), `${depth} levels did not reach the upstream whole`);
      }
    });

    it(`${route.name} (${route.path}): 513, 10,000 and 10,001 levels are a 400 in the protocol's shape naming the limit`, async () => {
      for (const depth of [513, 10_000, 10_001]) {
        const before = cerebras.chatRequests().length + scripted.imageRequests.length;
        const answer = await post(route.path, route.body(arrays(depth - route.enclosing)));
        assert.equal(answer.status, 400, `${depth} levels`);
        assert.ok(answer.headers.get('x-request-id'));
        assert.equal(route.refusal(await answer.json()), 'request body nests arrays and objects deeper than the limit of 512 levels');
        assert.equal(cerebras.chatRequests().length + scripted.imageRequests.length, before, 'nothing went upstream');
      }
    });
  }
});
