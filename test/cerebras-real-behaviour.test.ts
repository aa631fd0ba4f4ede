import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ProviderConfig } from '../src/config/gateway-config-schema.ts';
import { FakeCerebrasUpstream } from '../test-support/fake-cerebras-upstream.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * Cerebras's rate limiting as it really works (https://inference-docs.cerebras.ai/support/rate-limits):
 * `max_completion_tokens` — or the model's whole maximum when none is sent — is reserved against
 * the key's tokens per minute before generating; every answer reports what is left in
 * `x-ratelimit-*` headers; `429 queue_exceeded` is platform load, not the key's quota.
 */
describe('Cerebras budgets and keys', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway | undefined;

  beforeEach(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    cerebras.answer({ text: 'ok' });
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await cerebras.close();
  });

  async function start(provider: Partial<ProviderConfig>): Promise<TestGateway> {
    gateway = await startTestGateway({ providers: [cerebras.providerConfig('cerebras', provider)] });
    return gateway;
  }

  async function chat(maxTokens?: number): Promise<number> {
    const body: Record<string, unknown> = { model: 'cerebras/gpt-oss-120b', messages: [{ role: 'user', content: 'hi' }] };
    if (maxTokens !== undefined) body.max_tokens = maxTokens;
    const response = await fetch(`${gateway?.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body) });
    await response.text();
    return response.status;
  }

  const keysUsed = (): string[] => cerebras.server.calls.filter((call) => call.path === '/v1/chat/completions').map((call) => String(call.headers.authorization).slice(7));
  const sentLimits = (): unknown[] => cerebras.chatRequests().map((body) => (body as { max_completion_tokens?: number }).max_completion_tokens);

  it('sends 8192 output tokens when the client sets none, so a 20K-per-minute key serves two requests instead of none', async () => {
    cerebras.budget('csk-test-key', { tokensPerMinute: 20_000 });
    await start({});
    assert.deepEqual([await chat(), await chat()], [200, 200]);
    assert.deepEqual(sentLimits(), [8192, 8192]);
  });

  it('takes default_max_tokens and max_tokens_cap from the config, and caps what a client asks above it', async () => {
    await start({ default_max_tokens: 1000, max_tokens_cap: 2000 });
    assert.deepEqual([await chat(), await chat(500), await chat(50_000)], [200, 200, 200]);
    assert.deepEqual(sentLimits(), [1000, 500, 2000]);
  });

  it('sends the next request to a key that has the budget for it, before any 429', async () => {
    cerebras.budget('key-a', { tokensPerMinute: 10_000 }).budget('key-b', { tokensPerMinute: 1_000_000 });
    await start({ api_key: 'key-a', api_keys: ['key-b'] });
    // key-a has ~1.8K tokens left after the first request: too few for the next ones.
    assert.deepEqual([await chat(), await chat(), await chat(), await chat()], [200, 200, 200, 200]);
    assert.deepEqual(keysUsed(), ['key-a', 'key-b', 'key-b', 'key-b']);
  });

  it('rests a key with no requests left today until its reset', async () => {
    cerebras.budget('key-a', { requestsPerDay: 1 }).budget('key-b', {});
    await start({ api_key: 'key-a', api_keys: ['key-b'] });
    assert.deepEqual([await chat(), await chat(), await chat()], [200, 200, 200]);
    assert.deepEqual(keysUsed(), ['key-a', 'key-b', 'key-b']);
  });

  it('retries a 429 queue_exceeded and keeps the key in use: high traffic is not the key\'s quota', async () => {
    await start({ api_key: 'key-a', api_keys: ['key-b'] });
    cerebras.queueExceeded(1);
    assert.equal(await chat(), 200);
    assert.equal(await chat(), 200);
    assert.deepEqual(keysUsed(), ['key-a', 'key-b', 'key-a']);
  });

  it('spreads requests by what each key has left, taking a key back once it has enough', async () => {
    cerebras.budget('key-a', { tokensPerMinute: 9_000 }).budget('key-b', {});
    await start({ api_key: 'key-a', api_keys: ['key-b'], default_max_tokens: 4000 });
    // key-a: 4K reserved, ~5K left; then 4K more fit once; then it is short and rests.
    assert.deepEqual([await chat(), await chat(), await chat(), await chat()], [200, 200, 200, 200]);
    assert.deepEqual(keysUsed(), ['key-a', 'key-b', 'key-a', 'key-b']);
  });

  it('exports what each key has left to /metrics (labelled by position, never the key) and to /admin/models', async () => {
    cerebras.budget('csk-first-secret', { tokensPerMinute: 100_000, requestsPerDay: 50 }).budget('csk-second-secret', { tokensPerMinute: 200_000, requestsPerDay: 10 });
    await start({ api_key: 'csk-first-secret', api_keys: ['csk-second-secret'] });
    const metricsBefore = await (await fetch(`${gateway?.baseUrl}/metrics`)).text();
    assert.doesNotMatch(metricsBefore, /llmux_provider_key_tokens_remaining\{/, 'nothing is known before the first answer');
    const sentAt = Date.now();
    assert.deepEqual([await chat(), await chat()], [200, 200]);
    const answeredAt = Date.now();
    // Each request reserved 8192 output tokens plus 8 of prompt (the fake's count) and one request.
    const metrics = await (await fetch(`${gateway?.baseUrl}/metrics`)).text();
    assert.match(metrics, /\nllmux_provider_key_tokens_remaining\{provider="cerebras",key="#1"\} 91800\n/);
    assert.match(metrics, /\nllmux_provider_key_tokens_remaining\{provider="cerebras",key="#2"\} 191800\n/);
    assert.match(metrics, /\nllmux_provider_key_requests_remaining\{provider="cerebras",key="#1"\} 49\n/);
    assert.match(metrics, /\nllmux_provider_key_requests_remaining\{provider="cerebras",key="#2"\} 9\n/);
    const reset = Number(/\nllmux_provider_key_tokens_reset_timestamp_seconds\{provider="cerebras",key="#1"\} ([\d.e+]+)\n/.exec(metrics)?.[1]);
    assert.ok(reset >= (sentAt + 49_500) / 1000 && reset <= (answeredAt + 49_500) / 1000, `tokens reset 49.5 s after the answer: ${reset}`);
    assert.match(metrics, /\nllmux_provider_key_requests_reset_timestamp_seconds\{provider="cerebras",key="#2"\} [\d.e+]+\n/);
    assert.doesNotMatch(metrics, /secret/);

    const overview = (await (await fetch(`${gateway?.baseUrl}/admin/models`)).json()) as { providers: { id: string; headroom: { key: string; tokensLeft?: number; requestsLeft?: number }[] }[] };
    const headroom = overview.providers.find((provider) => provider.id === 'cerebras')?.headroom;
    assert.deepEqual(
      headroom?.map((key) => [key.key, key.tokensLeft, key.requestsLeft]),
      [
        ['#1 …cret', 91_800, 49],
        ['#2 …cret', 191_800, 9],
      ],
    );
  });
});

describe('Cerebras reasoning efforts per model family', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;

  beforeEach(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    cerebras.answer({ text: 'ok' });
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()] });
  });
  afterEach(async () => {
    await gateway.close();
    await cerebras.close();
  });

  async function chat(model: string, effort: string): Promise<number> {
    const body = { model: `cerebras/${model}`, reasoning_effort: effort, messages: [{ role: 'user', content: 'hi' }] };
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body) });
    await response.text();
    return response.status;
  }

  it('sends only what the model takes: gpt-oss gets low for none, llama gets no effort — no 400 from Cerebras', async () => {
    // The fake refuses `none` for gpt-oss and any reasoning_effort for llama3.1-8b, as Cerebras does.
    assert.deepEqual([await chat('gpt-oss-120b', 'none'), await chat('gpt-oss-120b', 'high'), await chat('llama3.1-8b', 'high')], [200, 200, 200]);
    assert.deepEqual(
      cerebras.chatRequests().map((body) => (body as { reasoning_effort?: string }).reasoning_effort),
      ['low', 'high', undefined],
    );
  });
});

describe('Cerebras logprobs and predicted outputs', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;

  beforeEach(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    cerebras.answer({ text: 'Hi there', reasoning: 'Greet back.' });
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()] });
  });
  afterEach(async () => {
    await gateway.close();
    await cerebras.close();
  });

  const request = (stream: boolean): Record<string, unknown> => ({
    model: 'cerebras/gpt-oss-120b',
    stream,
    logprobs: true,
    top_logprobs: 2,
    prediction: { type: 'content', content: 'Hi there' },
    messages: [{ role: 'user', content: 'hi' }],
  });

  it('streamed: every content token reaches the client with its logprob and top alternatives; prediction reaches Cerebras', async () => {
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(request(true)) });
    const chunks = (await response.text())
      .split('\n\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)) as { choices: { delta: { content?: string }; logprobs?: { content: { token: string; logprob: number; top_logprobs: unknown[] }[] } | null }[] });
    const tokens = chunks.flatMap((chunk) => chunk.choices[0]?.logprobs?.content ?? []);
    assert.deepEqual(
      tokens.map((token) => [token.token, token.logprob, token.top_logprobs.length]),
      [
        ['Hi', -0.125, 2],
        [' there', -0.25, 2],
      ],
    );
    const sent = cerebras.chatRequests().at(-1) as Record<string, unknown>;
    assert.deepEqual([sent.logprobs, sent.top_logprobs, sent.prediction], [true, 2, { type: 'content', content: 'Hi there' }]);
    assert.equal(response.headers.get('x-llmux-degraded'), null);
  });

  it('not streamed: the logprobs of the whole answer', async () => {
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(request(false)) });
    const body = (await response.json()) as { choices: { message: { content: string }; logprobs: { content: { token: string }[] } }[] };
    assert.equal(body.choices[0]?.message.content, 'Hi there');
    assert.deepEqual(body.choices[0]?.logprobs.content.map((token) => token.token), ['Hi', ' there']);
  });
});

describe('Cerebras: what could not be sent is declared in x-llmux-degraded', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;

  beforeEach(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    cerebras.answer({ text: 'ok' });
    gateway = await startTestGateway({ providers: [cerebras.providerConfig('cerebras', { max_tokens_cap: 1000 })] });
  });
  afterEach(async () => {
    await gateway.close();
    await cerebras.close();
  });

  async function degradedHeader(body: Record<string, unknown>, stream: boolean): Promise<string | null> {
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ ...body, stream, messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(response.status, 200, await response.clone().text());
    await response.text();
    return response.headers.get('x-llmux-degraded');
  }

  for (const stream of [false, true]) {
    it(`${stream ? 'streamed' : 'not streamed'}: a field Cerebras refused, a capped max_tokens and a refitted reasoning_effort`, async () => {
      const refused = await degradedHeader({ model: 'cerebras/llama3.1-8b', logit_bias: { '1': 1 } }, stream);
      assert.equal(refused, 'logit_bias');
      assert.equal(cerebras.chatRequests().length, 2, 'sent again without it');
      assert.equal(await degradedHeader({ model: 'cerebras/gpt-oss-120b', max_tokens: 5000, reasoning_effort: 'none' }, stream), 'max_tokens, reasoning_effort');
      assert.equal((cerebras.chatRequests().at(-1) as { max_completion_tokens?: number }).max_completion_tokens, 1000);
    });
  }
});

describe('Cerebras reasoning in each model family\'s format', () => {
  let cerebras: FakeCerebrasUpstream;
  let gateway: TestGateway;

  beforeEach(async () => {
    cerebras = await FakeCerebrasUpstream.start();
    cerebras.answer({ text: 'Hello!', reasoning: 'The user greets.' });
    gateway = await startTestGateway({ providers: [cerebras.providerConfig()] });
  });
  afterEach(async () => {
    await gateway.close();
    await cerebras.close();
  });

  async function ask(model: string, extra: Record<string, unknown> = {}): Promise<{ content: string; reasoning?: string }> {
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: `cerebras/${model}`, messages: [{ role: 'user', content: 'hi' }], ...extra }) });
    const body = (await response.json()) as { choices: { message: { content: string; reasoning_content?: string } }[] };
    const message = body.choices[0]?.message;
    return message?.reasoning_content === undefined ? { content: message?.content ?? '' } : { content: message.content, reasoning: message.reasoning_content };
  }

  it('gpt-oss sends a reasoning field, Qwen <think> tags in the content: both reach the client as reasoning', async () => {
    assert.deepEqual(await ask('gpt-oss-120b'), { content: 'Hello!', reasoning: 'The user greets.' });
    assert.deepEqual(await ask('qwen-3-235b-a22b-instruct-2507'), { content: 'Hello!', reasoning: 'The user greets.' });
    // What the fake itself answered Qwen: the reasoning inside the content, as Cerebras's raw default.
    const direct = await fetch(`${cerebras.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer csk-test-key' },
      body: JSON.stringify({ model: 'qwen-3-235b-a22b-instruct-2507', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const message = ((await direct.json()) as { choices: { message: { content: string; reasoning?: string } }[] }).choices[0]?.message;
    assert.equal(message?.content, '<think>\nThe user greets.\n</think>\n\nHello!');
    assert.equal(message?.reasoning, undefined);
  });

  it('reasoning_format hidden drops the reasoning at Cerebras, and parsed gives Qwen a reasoning field', async () => {
    assert.deepEqual(await ask('gpt-oss-120b', { reasoning_format: 'hidden' }), { content: 'Hello!' });
    assert.deepEqual(await ask('qwen-3-235b-a22b-instruct-2507', { reasoning_format: 'parsed' }), { content: 'Hello!', reasoning: 'The user greets.' });
  });
});
