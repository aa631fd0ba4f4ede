import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeUpstreamServer } from '../test-support/fake-upstream-server.ts';
import { clearCalls, upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const HEAD = '{"id":"chatcmpl-lp","object":"chat.completion.chunk","created":1745000000,"model":"m"';
const LOGPROBS_HI = { content: [{ token: 'Hi', logprob: -0.25, bytes: [72, 105], top_logprobs: [{ token: 'Hello', logprob: -1.5, bytes: [72, 101, 108, 108, 111] }] }] };
const LOGPROBS_BANG = { content: [{ token: '!', logprob: -0.01, bytes: [33], top_logprobs: [] }] };

/** A chat stream whose content chunks carry `logprobs`, as OpenAI and vLLM send them. */
function logprobStream(): string[] {
  return [
    `data: ${HEAD},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`,
    `data: ${HEAD},"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":${JSON.stringify(LOGPROBS_HI)},"finish_reason":null}]}\n\n`,
    `data: ${HEAD},"choices":[{"index":0,"delta":{"content":"!"},"logprobs":${JSON.stringify(LOGPROBS_BANG)},"finish_reason":null}]}\n\n`,
    `data: ${HEAD},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}\n\n`,
    'data: [DONE]\n\n',
  ];
}

/** Two tool calls, then text: each call streams whole before the next starts. */
function toolThenTextStream(): string[] {
  return [
    `data: ${HEAD},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"one","arguments":"{\\"a\\":"}}]},"finish_reason":null}]}\n\n`,
    `data: ${HEAD},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]},"finish_reason":null}]}\n\n`,
    `data: ${HEAD},"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"two","arguments":"{}"}}]},"finish_reason":null}]}\n\n`,
    `data: ${HEAD},"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n`,
    'data: [DONE]\n\n',
  ];
}

/**
 * What canonical model v2 carries end to end through real clients: token log probabilities
 * (OpenAI chat streamed and not, legacy completions, Ollama), fields a provider could not honour
 * declared in `x-llmux-degraded`, fill-in-the-middle and raw prompts refused by a chat-only
 * provider with a 400 naming it, and sequential tool-call blocks.
 */
describe('canonical v2 through real clients and an OpenAI-compatible upstream', () => {
  const suite = upstreamClientsPerSuite(
    async () => {
      const upstream = await FakeUpstreamServer.start();
      upstream.json('GET', '/v1/models', 200, { object: 'list', data: [{ id: 'm', object: 'model', created: 1745000000, owned_by: 'x' }] });
      return upstream;
    },
    (upstream) => ({ providers: [{ id: 'up', type: 'openai-compatible', base_url: `${upstream.baseUrl}/v1` }] }),
    clearCalls,
  );

  it('returns token logprobs on the OpenAI chat stream, chunk by chunk', async () => {
    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const stream = await suite.openai.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'Hi' }], logprobs: true, top_logprobs: 1, stream: true });
    const tokens: OpenAI.Chat.ChatCompletionTokenLogprob[] = [];
    for await (const chunk of stream) tokens.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    assert.deepEqual(tokens, [
      { token: 'Hi', logprob: -0.25, bytes: [72, 105], top_logprobs: [{ token: 'Hello', logprob: -1.5, bytes: [72, 101, 108, 108, 111] }] },
      { token: '!', logprob: -0.01, bytes: [33], top_logprobs: [] },
    ]);
    const sent = suite.upstream.lastCall('/v1/chat/completions')?.json as Record<string, unknown>;
    assert.equal(sent.logprobs, true);
    assert.equal(sent.top_logprobs, 1);
  });

  it('returns token logprobs on a whole OpenAI chat answer and a legacy completion', async () => {
    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const completion = await suite.openai.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'Hi' }], logprobs: true });
    assert.deepEqual(
      completion.choices[0]?.logprobs?.content?.map((token) => [token.token, token.logprob]),
      [
        ['Hi', -0.25],
        ['!', -0.01],
      ],
    );
    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const legacy = await suite.openai.completions.create({ model: 'up/m', prompt: 'Say hi', logprobs: 1 });
    assert.deepEqual(legacy.choices[0]?.logprobs, { tokens: ['Hi', '!'], token_logprobs: [-0.25, -0.01], top_logprobs: [{ Hello: -1.5 }, {}], text_offset: [0, 2] });
  });

  it('returns token logprobs to ollama-js, streamed and not', async () => {
    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const whole = await suite.ollama.chat({ model: 'up/m', messages: [{ role: 'user', content: 'Hi' }], logprobs: true, top_logprobs: 1, stream: false });
    assert.deepEqual(whole.logprobs, [
      { token: 'Hi', logprob: -0.25, bytes: [72, 105], top_logprobs: [{ token: 'Hello', logprob: -1.5, bytes: [72, 101, 108, 108, 111] }] },
      { token: '!', logprob: -0.01, bytes: [33] },
    ]);
    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const streamed = await suite.ollama.chat({ model: 'up/m', messages: [{ role: 'user', content: 'Hi' }], logprobs: true, stream: true });
    const tokens: string[] = [];
    for await (const part of streamed) for (const entry of part.logprobs ?? []) tokens.push(entry.token);
    assert.deepEqual(tokens, ['Hi', '!']);
  });

  it('declares what the provider could not honour in x-llmux-degraded, streamed and not', async () => {
    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const plain = await fetch(`${suite.gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/m', messages: [{ role: 'user', content: 'Hi' }], top_k: 5, guided_json: { type: 'object' } }),
    });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('x-llmux-degraded'), 'top_k, guided_json');
    await plain.json();
    const sent = suite.upstream.lastCall('/v1/chat/completions')?.json as Record<string, unknown>;
    assert.equal('top_k' in sent, false);
    assert.equal('guided_json' in sent, false);

    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const streamed = await fetch(`${suite.gateway.baseUrl}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'up/m', messages: [{ role: 'user', content: 'Hi' }], options: { top_k: 5, num_ctx: 4096 } }),
    });
    assert.equal(streamed.headers.get('x-llmux-degraded'), 'top_k, num_ctx');
    await streamed.text();

    suite.upstream.chunks('POST', '/v1/chat/completions', logprobStream());
    const clean = await fetch(`${suite.gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/m', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    assert.equal(clean.headers.get('x-llmux-degraded'), null);
    await clean.json();
  });

  it('refuses fill-in-the-middle and raw prompts on a chat-only provider with a 400 naming it, before any upstream call', async () => {
    const suffix = await suite.openai.completions.create({ model: 'up/m', prompt: 'def f(', suffix: 'return x' }).catch((caught: unknown) => caught);
    assert.ok(suffix instanceof OpenAI.BadRequestError);
    assert.equal(suffix.param, 'suffix');
    assert.match(suffix.message, /not supported by provider 'up'/);
    const raw = await suite.ollama.generate({ model: 'up/m', prompt: '<s>[INST] hi [/INST]', raw: true, stream: false }).catch((caught: unknown) => caught);
    assert.ok(raw instanceof Error);
    assert.match(raw.message, /raw prompts are not supported by provider 'up'/);
    assert.equal(suite.upstream.calls.filter((call) => call.path === '/v1/chat/completions').length, 0);
  });

  it('streams two tool calls and the text after them one block after another to the openai SDK', async () => {
    suite.upstream.chunks('POST', '/v1/chat/completions', toolThenTextStream());
    const runner = suite.openai.chat.completions.stream({ model: 'up/m', messages: [{ role: 'user', content: 'go' }], tools: [{ type: 'function', function: { name: 'one', parameters: {} } }, { type: 'function', function: { name: 'two', parameters: {} } }] });
    const final = await runner.finalChatCompletion();
    assert.deepEqual(
      final.choices[0]?.message.tool_calls?.map((call) => (call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [])),
      [
        ['call_a', 'one', '{"a":1}'],
        ['call_b', 'two', '{}'],
      ],
    );
    assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
  });
});
