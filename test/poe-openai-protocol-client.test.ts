import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
type OllamaError = Error & { status_code?: number };

const poeError = (status: number, code: number | string, type: string, message: string) => ({ error: { status, body: { error: { code, type, message } } } });
const completion = (model: string, content: string) => ({
  status: 200,
  body: { id: 'chatcmpl-1', object: 'chat.completion', created: 1750000000, model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] },
});

/** Poe's OpenAI-compatible API (`protocol: openai`, the default) behind llmux, seen by real clients. */
describe("the openai SDK and ollama-js against llmux serving Poe's OpenAI-compatible API", () => {
  const suite = upstreamClientsPerSuite(
    () => FakePoeServer.start(),
    (poe) => ({ providers: [{ id: 'poe', type: 'poe', api_key: 'poe-test-key', base_url: poe.openaiBaseUrl }] }),
    (poe) => poe.reset(),
  );

  it("streams Poe's answer with Poe's own usage; developer goes as system, ignored fields are not sent, n is 1", async () => {
    suite.upstream.openai('GPT-4o', { text: 'Bonjour tout le monde', usage: { prompt_tokens: 23, completion_tokens: 5 } });
    const stream = await suite.openai.chat.completions.create({
      model: 'GPT-4o',
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Hello everyone' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      n: 1,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      logit_bias: { '42': 1 },
      user: 'alice',
      store: true,
      metadata: { team: 'x' },
      service_tier: 'auto',
      prediction: { type: 'content', content: 'Bonjour' },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Bonjour tout le monde');
    assert.deepEqual([usage?.prompt_tokens, usage?.completion_tokens], [23, 5]);
    const body = suite.upstream.openaiCalls[0]?.body ?? {};
    assert.deepEqual(body['messages'], [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hello everyone' },
    ]);
    assert.equal(body['temperature'], 0.5);
    const ignored = ['n', 'seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'user', 'store', 'metadata', 'service_tier', 'prediction', 'response_format'];
    assert.deepEqual(ignored.filter((field) => field in body), [], 'fields Poe ignores are not sent');
    assert.equal(suite.upstream.openaiCalls[0]?.headers.authorization, 'Bearer poe-test-key');
  });

  it('sends images as image_url parts and answers ollama-js too', async () => {
    suite.upstream.openai('GPT-4o', { text: 'A tiny image.' });
    const chat = await suite.ollama.chat({ model: 'GPT-4o', messages: [{ role: 'user', content: 'What is it?', images: [PNG.toString('base64')] }], stream: false });
    assert.equal(chat.message.content, 'A tiny image.');
    assert.deepEqual(suite.upstream.openaiCalls[0]?.body['messages'], [
      { role: 'user', content: [{ type: 'text', text: 'What is it?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } }] },
    ]);
  });

  it("maps Poe's errors for both clients: 401, 404, 402, 413 as they are; 429 and 529 retried, then reported", async () => {
    const cases: [string, ReturnType<typeof poeError> | undefined, number, number, RegExp][] = [
      ['Unknown-Bot', undefined, 404, 1, /Unknown-Bot/],
      ['Poor', poeError(402, 402, 'insufficient_credits', "You've used up your points!"), 402, 1, /no points left.*used up your points/],
      ['Long', poeError(413, 'request_too_large', 'request_too_large', 'Request exceeds the context window'), 413, 1, /too large.*context window/],
      ['Limited', poeError(429, 429, 'rate_limit_error', 'Rate limit exceeded'), 429, 2, /rate limit/i],
      ['Busy', poeError(529, 529, 'overloaded_error', 'The model is overloaded'), 502, 2, /overloaded/],
    ];
    for (const [model, reply, status, calls, message] of cases) {
      if (reply !== undefined) suite.upstream.openai(model, reply);
      for (const client of ['openai', 'ollama'] as const) {
        suite.upstream.openaiCalls.length = 0;
        const attempt =
          client === 'openai'
            ? suite.openai.chat.completions.create({ model: `poe/${model}`, messages: [{ role: 'user', content: 'q' }] })
            : suite.ollama.chat({ model: `poe/${model}`, messages: [{ role: 'user', content: 'q' }], stream: false });
        await assert.rejects(attempt, (error: APIError | OllamaError) => {
          assert.equal(error instanceof APIError ? error.status : error.status_code, status, `${client} ${model}: ${error.message}`);
          assert.match(error.message, message);
          return true;
        });
        assert.equal(suite.upstream.openaiCalls.length, calls, `${client} ${model}: calls`);
      }
    }
    suite.upstream.keys.delete('poe-test-key');
    try {
      await assert.rejects(suite.openai.chat.completions.create({ model: 'poe/GPT-4o', messages: [{ role: 'user', content: 'q' }] }), (error: APIError) => error.status === 401 && /Poe rejected the API key/.test(error.message));
    } finally {
      suite.upstream.keys.add('poe-test-key');
    }
  });

  it('an overloaded answer (529) is retried and the second call answers', async () => {
    suite.upstream.openai('Flaky', () => (suite.upstream.openaiCalls.length === 1 ? poeError(529, 529, 'overloaded_error', 'busy').error : completion('Flaky', 'second time lucky')));
    const answer = await suite.openai.chat.completions.create({ model: 'poe/Flaky', messages: [{ role: 'user', content: 'q' }] });
    assert.equal(answer.choices[0]?.message.content, 'second time lucky');
    assert.equal(suite.upstream.openaiCalls.length, 2);
  });

  it("lists Poe's models: created in seconds, vision from input_modalities", async () => {
    const models = await suite.openai.models.list();
    const gpt = models.data.find((model) => model.id === 'GPT-4o');
    assert.equal(gpt?.created, 1715644800);
    assert.ok(models.data.some((model) => model.id === 'Llama-3-70b'));
    assert.ok((await suite.ollama.show({ model: 'GPT-4o' })).capabilities.includes('vision'));
    assert.ok(!(await suite.ollama.show({ model: 'Llama-3-70b' })).capabilities.includes('vision'));
  });

  it('generates images with stream:false: url and b64_json (downloaded), n=2, size → aspect', async () => {
    const url = suite.upstream.addFile('fox.png', PNG, 'image/png');
    suite.upstream.openai('GPT-Image-1', () => completion('GPT-Image-1', `Here it is (16:9): ![fox](${url})`));
    const byUrl = await suite.openai.images.generate({ model: 'GPT-Image-1', prompt: 'a fox', n: 2, size: '1792x1024' });
    assert.deepEqual(byUrl.data?.map((image) => image.url), [url, url]);
    assert.equal(suite.upstream.openaiCalls.length, 2);
    const body = suite.upstream.openaiCalls[0]?.body ?? {};
    assert.equal(body['stream'], undefined);
    assert.equal(body['aspect'], '16:9', 'custom bot parameters go top-level, as the OpenAI SDK sends extra_body');
    assert.deepEqual(body['messages'], [{ role: 'user', content: 'a fox --aspect 16:9' }]);
    const inline = await suite.openai.images.generate({ model: 'GPT-Image-1', prompt: 'a fox', response_format: 'b64_json' });
    assert.equal(inline.data?.[0]?.b64_json, PNG.toString('base64'));
  });
});
