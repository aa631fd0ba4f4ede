import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { DEFAULT_TIME_INFO, FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/** Seconds → the integer nanoseconds Ollama reports. */
function ns(seconds: number): number {
  return Math.round(seconds * 1e9);
}

/** ollama-js → llmux → the real cerebras adapter → a fake Cerebras on loopback. */
describe('Ollama clients served by Cerebras', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;
  let ollama: Ollama;

  before(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()], models: [{ name: 'qwen', target: 'cerebras/qwen-3-235b-a22b-instruct-2507' }] });
    ollama = new Ollama({ host: gateway.baseUrl });
  });
  after(async () => {
    await gateway.close();
    await cerebras.close();
  });
  beforeEach(() => {
    cerebras.server.calls.length = 0;
  });

  it("reports Cerebras' time_info as Ollama's durations and its usage as counts, streaming", async () => {
    cerebras.answer({ text: 'Hello there friend', reasoning: 'User greets.' });
    const parts = [];
    for await (const part of await ollama.chat({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Hi' }], stream: true })) parts.push(part);
    assert.equal(parts.map((part) => part.message.content).join(''), 'Hello there friend');
    assert.equal(parts.map((part) => part.message.thinking ?? '').join(''), 'User greets.');
    const final = parts.at(-1);
    assert.equal(final?.done, true);
    assert.equal(final?.done_reason, 'stop');
    assert.equal(final?.prompt_eval_duration, ns(DEFAULT_TIME_INFO.prompt_time));
    assert.equal(final?.eval_duration, ns(DEFAULT_TIME_INFO.completion_time));
    assert.equal(final?.load_duration, ns(DEFAULT_TIME_INFO.queue_time));
    assert.equal(final?.total_duration, ns(DEFAULT_TIME_INFO.total_time));
    assert.equal(final?.prompt_eval_count, 24);
    assert.equal(final?.eval_count, 5, 'completion_tokens: 2 reasoning pieces + 3 words');
    const upstream = cerebras.chatRequests()[0] as { model: string; stream: boolean; messages: unknown };
    assert.equal(upstream.model, 'gpt-oss-120b');
    assert.deepEqual(upstream.messages, [{ role: 'user', content: 'Hi' }]);
  });

  it('does the same for a whole generate answer, with options reaching Cerebras', async () => {
    cerebras.answer({ text: 'Blue light scatters.', timeInfo: { queue_time: 0.0005, prompt_time: 0.0125, completion_time: 0.25, total_time: 0.263, created: 1754550000 } });
    const response = await ollama.generate({ model: 'qwen', prompt: 'Why is the sky blue?', stream: false, options: { temperature: 0.4, num_predict: 50, seed: 3, stop: ['\n\n'] } });
    assert.equal(response.response, 'Blue light scatters.');
    assert.deepEqual(
      [response.load_duration, response.prompt_eval_duration, response.eval_duration, response.total_duration],
      [ns(0.0005), ns(0.0125), ns(0.25), ns(0.263)],
    );
    assert.equal(response.prompt_eval_count, 24);
    assert.equal(response.eval_count, 3);
    const upstream = cerebras.chatRequests()[0] as Record<string, unknown>;
    assert.equal(upstream.model, 'qwen-3-235b-a22b-instruct-2507');
    assert.equal(upstream.temperature, 0.4);
    assert.equal(upstream.seed, 3);
    assert.deepEqual(upstream.stop, ['\n\n']);
  });

  it('turns Cerebras tool calls into whole Ollama tool calls with object arguments', async () => {
    cerebras.answer({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }] });
    const response = await ollama.chat({
      model: 'gpt-oss-120b',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      stream: false,
    });
    assert.deepEqual(response.message.tool_calls?.[0]?.function, { index: 0, name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } as never);
    assert.equal(response.done_reason, 'stop');
  });

  it('lists Cerebras models with honest capabilities and context lengths', async () => {
    const { models } = await ollama.list();
    assert.ok(models.some((model) => model.name === 'llama3.1-8b:latest'));
    const shown = await ollama.show({ model: 'gpt-oss-120b:latest' });
    assert.deepEqual(shown.capabilities, ['completion', 'tools', 'thinking']);
    assert.equal((shown.model_info as unknown as Record<string, unknown>)['gptoss.context_length'], 131072);
  });

  it('passes a Cerebras error on with its status, before any output', async () => {
    cerebras.fail(400, { message: 'Unsupported parameter: logit_bias', type: 'invalid_request_error' });
    await assert.rejects(ollama.chat({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Hi' }], stream: true }), (error: unknown) => {
      const failure = error as { status_code?: number; error?: string };
      return failure.status_code === 400 && /Unsupported parameter/.test(failure.error ?? '');
    });
  });
});
