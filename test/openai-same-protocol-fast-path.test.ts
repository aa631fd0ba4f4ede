import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import type { RequestOutcome } from '../src/observability/request-outcome.ts';
import { OpenAICompatibleAdapter } from '../src/providers/openai-compatible/openai-compatible-adapter.ts';
import type { SameProtocolHint } from '../src/providers/provider-adapter.ts';
import { FakeUpstreamServer, type RecordedCall } from '../test-support/fake-upstream-server.ts';
import { startTestGateway, type TestGateway } from '../test-support/start-test-gateway.ts';

/**
 * The same-protocol fast path: an OpenAI chat body of plain text turns goes to an OpenAI-compatible
 * upstream with the client's own messages (no schema pass, no conversion back from canonical),
 * anything else through the canonical path. Each case sends a plain body and an unusual body that
 * means the same (text as content parts), against the same upstream answer, and checks which path
 * each took and that the upstream and the client saw the same bytes either way.
 */

const CREATED = 1754550000;
const head = (model: string): string => `{"id":"chatcmpl-up-1","object":"chat.completion.chunk","created":${CREATED},"model":"${model}"`;

function completion(model: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-up-1',
    object: 'chat.completion',
    created: CREATED,
    model,
    system_fingerprint: 'fp_1',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour ☕ café', reasoning: 'The user greets.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, completion_tokens_details: { reasoning_tokens: 3 } },
    time_info: { queue_time: 0.001, prompt_time: 0.002, completion_time: 0.003, total_time: 0.006, created: CREATED },
  };
}

/** A stream whose network chunks split a line and a character (☕ is 3 bytes in UTF-8). */
function streamChunks(model: string): Buffer[] {
  const text = [
    `data: ${head(model)},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`,
    `data: ${head(model)},"choices":[{"index":0,"delta":{"reasoning":"Greeting."},"finish_reason":null}]}\n\n`,
    `data: ${head(model)},"choices":[{"index":0,"delta":{"content":"Bonjour ☕"},"finish_reason":null}]}\n\n`,
    `data: ${head(model)},"choices":[{"index":0,"delta":{"content":" café"},"finish_reason":null}]}\n\n`,
    `data: ${head(model)},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18},"time_info":{"total_time":0.006}}\n\n`,
    'data: [DONE]\n\n',
  ].join('');
  const bytes = Buffer.from(text);
  const cup = bytes.indexOf(Buffer.from('☕'));
  const cuts = [40, cup + 1, cup + 2, bytes.indexOf(Buffer.from('café')) + 4, bytes.length - 9];
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

type Script = (call: RecordedCall, response: ServerResponse, index: number) => void | Promise<void>;

const answerWith =
  (model: string): Script =>
  async (call, response) => {
    const stream = (call.json as { stream?: boolean }).stream === true;
    if (!stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion(model)));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of streamChunks(model)) {
      response.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  };

const failWith =
  (status: number, body: unknown): Script =>
  (_call, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

interface Seen {
  status: number;
  body: string;
  headers: Record<string, string | null>;
  /** The chat bodies the upstream received, as sent. */
  upstream: string[];
  /** The hint each adapter call got (undefined: the canonical path). */
  hints: (SameProtocolHint | undefined)[];
  outcome: RequestOutcome | undefined;
}

const SHOWN_HEADERS = ['content-type', 'x-llmux-degraded', 'x-llmux-provider', 'x-llmux-model', 'retry-after'];

/** Text turns as content parts: the same request to the canonical path, which the fast path does not take. */
function asParts(body: Record<string, unknown>): Record<string, unknown> {
  const messages = (body.messages as { role: string; content: string }[]).map((message) => ({ ...message, content: [{ type: 'text', text: message.content }] }));
  return { ...body, messages };
}

describe('OpenAI chat to OpenAI-compatible upstreams: the same-protocol fast path', () => {
  let upstream: FakeUpstreamServer;
  let gateway: TestGateway;
  const outcomes: RequestOutcome[] = [];
  let script: Script[] = [];
  const complete = mock.method(OpenAICompatibleAdapter.prototype, 'completeChat');
  const stream = mock.method(OpenAICompatibleAdapter.prototype, 'streamChat');

  before(async () => {
    upstream = await FakeUpstreamServer.start();
    const chat: Script = (call, response, index) => (script[index] ?? script.at(-1) ?? answerWith('m'))(call, response, index);
    for (const path of ['/compat/chat/completions', '/cerebras/chat/completions', '/poe/chat/completions', '/broken/chat/completions']) {
      upstream.on('POST', path, (call, response) => chat(call, response, upstream.calls.filter((entry) => entry.method === 'POST').length - 1));
    }
    gateway = await startTestGateway({
      providers: [
        { id: 'compat', type: 'openai-compatible', base_url: `${upstream.baseUrl}/compat`, api_key: 'k1', max_tokens_cap: 100 },
        { id: 'cerebras', type: 'cerebras', base_url: `${upstream.baseUrl}/cerebras`, api_key: 'k2' },
        { id: 'poe', type: 'poe', protocol: 'openai', base_url: `${upstream.baseUrl}/poe`, api_key: 'k4' },
        { id: 'broken', type: 'openai-compatible', base_url: `${upstream.baseUrl}/broken`, api_key: 'k3' },
      ],
      models: [
        { name: 'compat-model', target: 'compat/up-model' },
        { name: 'cerebras-model', target: 'cerebras/llama3.1-8b' },
        { name: 'poe-model', target: 'poe/Some-Bot' },
        { name: 'with-fallback', targets: ['broken/up-model', 'cerebras/llama3.1-8b'] },
      ],
    });
    gateway.gateway.services.outcomes.subscribe((outcome) => outcomes.push(outcome));
  });
  after(async () => {
    complete.mock.restore();
    stream.mock.restore();
    await gateway.close();
    await upstream.close();
  });
  afterEach(() => {
    script = [];
  });

  async function send(body: Record<string, unknown>, scripts: Script[]): Promise<Seen> {
    upstream.calls.length = 0;
    complete.mock.resetCalls();
    stream.mock.resetCalls();
    script = scripts;
    const before = outcomes.length;
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    // The outcome is published once the answer has been written.
    for (let tries = 0; outcomes.length === before && tries < 200; tries++) await new Promise((resolve) => setImmediate(resolve));
    const headers: Record<string, string | null> = {};
    for (const name of SHOWN_HEADERS) headers[name] = response.headers.get(name);
    const calls = body.stream === true ? stream.mock.calls : complete.mock.calls;
    return {
      status: response.status,
      body: text,
      headers,
      upstream: upstream.calls.filter((call) => call.method === 'POST').map((call) => call.body),
      hints: calls.map((call) => call.arguments[2]),
      outcome: outcomes[before],
    };
  }

  /** Sends the plain body and its content-parts twin; checks the paths taken and that everything seen is the same. */
  async function sendBoth(body: Record<string, unknown>, scripts: Script[]): Promise<Seen> {
    const fast = await send(body, scripts);
    const canonical = await send(asParts(body), scripts);
    assert.ok(fast.hints.length > 0 && fast.hints.every((hint) => hint !== undefined), 'the plain body takes the fast path on every attempt');
    assert.ok(canonical.hints.length > 0 && canonical.hints.every((hint) => hint === undefined), 'the unusual body takes the canonical path');
    assert.deepEqual(fast.upstream, canonical.upstream, 'the upstream gets the same bytes');
    assert.equal(fast.status, canonical.status);
    assert.deepEqual(fast.headers, canonical.headers);
    assert.equal(fast.body, canonical.body, 'the client gets the same bytes');
    assert.ok(fast.outcome !== undefined && canonical.outcome !== undefined);
    const strip = (outcome: RequestOutcome) => ({ ...outcome, requestId: '', startedAt: 0, totalMs: 0, overheadMs: 0, ttftMs: outcome.ttftMs === undefined ? undefined : 0, attempts: outcome.attempts.map((attempt) => ({ ...attempt, ms: 0 })) });
    assert.deepEqual(strip(fast.outcome), strip(canonical.outcome), 'the same outcome is recorded: usage, attempts, degraded');
    return fast;
  }

  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Salut ☕', name: 'ana' },
    { role: 'assistant', content: 'Bonjour.' },
    { role: 'developer', content: 'Answer in French.' },
    { role: 'user', content: 'Encore ?' },
  ];

  // Poe sends `developer` turns as `system`: the client's turns are copied for it, not sent as they are.
  for (const [model, upstreamModel] of [['compat-model', 'up-model'], ['cerebras-model', 'llama3.1-8b'], ['poe-model', 'Some-Bot']] as const) {
    it(`${model}: a whole answer, the client's messages sent as they are`, async () => {
      const seen = await sendBoth({ model, messages, temperature: 0.3, max_tokens: 64, stop: 'END', user: 'u1' }, [answerWith(upstreamModel)]);
      assert.equal(seen.status, 200);
      const sent = JSON.parse(seen.upstream[0] ?? '{}') as { model: string; messages: unknown };
      assert.equal(sent.model, upstreamModel);
      assert.deepEqual(sent.messages, model === 'poe-model' ? messages.map((message) => (message.role === 'developer' ? { ...message, role: 'system' } : message)) : messages);
      const answer = JSON.parse(seen.body) as { model: string; choices: { message: { content: string; reasoning_content: string } }[]; usage: unknown };
      assert.equal(answer.model, model);
      assert.equal(answer.choices[0]?.message.content, 'Bonjour ☕ café');
      assert.equal(answer.choices[0]?.message.reasoning_content, 'The user greets.');
      assert.deepEqual(seen.outcome?.usage?.output, { total: 7, reasoning: 3 });
      assert.equal(seen.outcome?.streamed, false);
    });

    it(`${model}: a stream split mid-line and mid-character`, async () => {
      const seen = await sendBoth({ model, messages, stream: true, stream_options: { include_usage: true } }, [answerWith(upstreamModel)]);
      assert.equal(seen.status, 200);
      assert.match(seen.body, /Bonjour ☕/);
      assert.match(seen.body, /data: \[DONE\]\n\n$/);
      assert.equal(seen.outcome?.streamed, true);
      assert.equal(seen.outcome?.usage?.input.total, 11);
    });

    it(`${model}: an upstream error, in the same shape`, async () => {
      const seen = await sendBoth({ model, messages }, [failWith(400, { error: { message: 'context too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } })]);
      assert.equal(seen.status, 400);
      assert.match(seen.body, /context too long/);
      assert.equal(seen.outcome?.result, 'error');
    });

    it(`${model}: a retry after a 503`, async () => {
      const seen = await sendBoth({ model, messages }, [failWith(503, { error: { message: 'overloaded' } }), answerWith(upstreamModel)]);
      assert.equal(seen.status, 200);
      assert.equal(seen.upstream.length, 2);
      assert.equal(seen.hints.length, 2);
      assert.deepEqual(
        seen.outcome?.attempts.map((attempt) => attempt.status),
        [503, 200],
      );
    });
  }

  it('falls back to the next target, which gets the client messages too', async () => {
    const broken = failWith(503, { error: { message: 'down' } });
    const seen = await sendBoth({ model: 'with-fallback', messages }, [broken, broken, broken, answerWith('llama3.1-8b')]);
    assert.equal(seen.status, 200);
    assert.equal(seen.headers['x-llmux-provider'], 'cerebras');
    assert.equal(seen.outcome?.attempts.at(-1)?.provider, 'cerebras');
  });

  it("applies the provider's rules on the way: a capped limit and an unknown field are declared", async () => {
    const seen = await sendBoth({ model: 'compat-model', messages, max_tokens: 500, not_an_openai_field: true }, [answerWith('up-model')]);
    const sent = JSON.parse(seen.upstream[0] ?? '{}') as Record<string, unknown>;
    assert.equal(sent.max_tokens, 100);
    assert.equal('not_an_openai_field' in sent, false);
    assert.match(seen.headers['x-llmux-degraded'] ?? '', /max_tokens/);
    assert.match(seen.headers['x-llmux-degraded'] ?? '', /not_an_openai_field/);
  });

  it('sends again without a field the upstream refused, on a copy of the client messages', async () => {
    const refuse: Script = (_call, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: "messages.1.user.name: property 'messages.1.user.name' is unsupported", type: 'invalid_request_error', param: null, code: 'wrong_api_format' }));
    };
    const seen = await sendBoth({ model: 'cerebras-model', messages }, [refuse, answerWith('llama3.1-8b')]);
    assert.equal(seen.status, 200);
    assert.equal(seen.upstream.length, 2);
    assert.deepEqual((JSON.parse(seen.upstream[1] ?? '{}') as { messages: unknown[] }).messages[1], { role: 'user', content: 'Salut ☕' });
    assert.match(seen.headers['x-llmux-degraded'] ?? '', /messages\[1\]\.name/);
    // The next plain request still has its name: nothing of the first one's body was shared.
    const again = await send({ model: 'cerebras-model', messages }, [answerWith('llama3.1-8b')]);
    assert.deepEqual((JSON.parse(again.upstream[0] ?? '{}') as { messages: unknown[] }).messages[1], { role: 'user', content: 'Salut ☕', name: 'ana' });
  });

  it('takes the canonical path for what a plain body cannot hold, with the same 400s', async () => {
    const unusual: Record<string, unknown>[] = [
      { model: 'compat-model', messages, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] },
      { model: 'compat-model', messages: [{ role: 'user', content: 'Hi', tool_calls: null }] },
      { model: 'compat-model', messages, temperature: null },
      { model: 'compat-model', messages, response_format: { type: 'json_object' } },
    ];
    for (const body of unusual) {
      const seen = await send(body, [answerWith('up-model')]);
      assert.equal(seen.status, 200, JSON.stringify(body));
      assert.deepEqual(seen.hints, [undefined], JSON.stringify(body));
    }
    for (const body of [
      { model: 'compat-model', messages, n: 2 },
      { model: 'compat-model', messages, temperature: 3 },
      { model: 'compat-model', messages: [] },
      { model: 'compat-model', messages: [{ role: 'robot', content: 'Hi' }] },
    ]) {
      const seen = await send(body, [answerWith('up-model')]);
      assert.equal(seen.status, 400, JSON.stringify(body));
      assert.equal(seen.upstream.length, 0);
      assert.match(seen.body, /"error":\{"message":/);
    }
  });
});
