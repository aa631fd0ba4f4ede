import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { FakePoeServer } from '../test-support/fake-poe-server.ts';
import { upstreamClientsPerSuite } from '../test-support/upstream-clients-per-suite.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
type OllamaError = Error & { status_code?: number };

/**
 * What goes wrong on Poe's side reaches both kinds of client as that protocol's error, with the
 * status that fits and a message saying what happened; only what can succeed on a second try is
 * tried again, and llmux keeps serving afterwards.
 */
describe('Poe bad input and failures through the openai SDK and ollama-js (bot protocol)', () => {
  const suite = upstreamClientsPerSuite(
    async () => {
      const poe = await FakePoeServer.start();
      poe.models = [];
      return poe;
    },
    (poe) => ({
      providers: [{ id: 'poe', type: 'poe', protocol: 'bot', api_key: 'poe-test-key', base_url: poe.botBaseUrl, upload_url: poe.uploadUrl }],
    }),
    (poe) => {
      poe.reset();
      poe.bot('GoodBot', [{ event: 'text', data: { text: 'still serving' } }]);
    },
  );

  const callsTo = (bot: string): number => suite.upstream.botCalls.filter((call) => call.bot === bot).length;

  /** The same request through both clients, streamed and not; each must fail with `status` and `message`, after `calls` bot calls. */
  async function expectFailure(bot: string, status: number, message: RegExp, options: { calls?: number; image?: Buffer; repair?: () => void } = {}): Promise<void> {
    const { calls = 1, image, repair } = options;
    const content: OpenAI.ChatCompletionContentPart[] = [{ type: 'text', text: 'hello' }];
    if (image !== undefined) content.push({ type: 'image_url', image_url: { url: `data:image/png;base64,${image.toString('base64')}` } });
    const attempts: [string, () => Promise<unknown>][] = [
      ['openai', () => suite.openai.chat.completions.create({ model: bot, messages: [{ role: 'user', content }] })],
      ['openai stream', async () => {
        for await (const chunk of await suite.openai.chat.completions.create({ model: bot, messages: [{ role: 'user', content }], stream: true })) void chunk;
      }],
      ['ollama', () => suite.ollama.chat({ model: bot, messages: [{ role: 'user', content: 'hello', ...(image ? { images: [image.toString('base64')] } : {}) }], stream: false })],
      ['ollama stream', async () => {
        const parts = await suite.ollama.chat({ model: bot, messages: [{ role: 'user', content: 'hello', ...(image ? { images: [image.toString('base64')] } : {}) }], stream: true });
        for await (const part of parts) void part;
      }],
    ];
    for (const [client, attempt] of attempts) {
      const before = callsTo(bot.replace(/^poe\//, ''));
      await assert.rejects(attempt(), (error: APIError | OllamaError) => {
        assert.equal(error instanceof APIError ? error.status : error.status_code, status, `${client}: ${error.message}`);
        assert.match(error.message, message, client);
        return true;
      });
      assert.equal(callsTo(bot.replace(/^poe\//, '')) - before, calls, `${client}: bot calls`);
    }
    repair?.();
    const ok = await suite.openai.chat.completions.create({ model: 'poe/GoodBot', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(ok.choices[0]?.message.content, 'still serving');
  }

  it('an unknown bot → 404 naming it, not retried', async () => {
    await expectFailure('poe/GhostBot', 404, /Poe has no bot 'GhostBot'/);
  });

  it('a revoked key → 401 saying so, not retried', async () => {
    suite.upstream.keys.delete('poe-test-key');
    suite.upstream.bot('LockedBot', [{ event: 'text', data: { text: 'never' } }]);
    await expectFailure('poe/LockedBot', 401, /Poe rejected the API key/, { repair: () => suite.upstream.keys.add('poe-test-key') });
  });

  it('no points left → 402, as an error event (even one that allows a retry) and as an HTTP answer', async () => {
    suite.upstream.bot('PoorBot', [{ event: 'error', data: { allow_retry: true, text: "You don't have enough compute points", error_type: 'insufficient_fund' } }]);
    await expectFailure('poe/PoorBot', 402, /no points left.*enough compute points/);
    suite.upstream.bot('BrokeBot', { events: [], httpError: { status: 402, body: { error: { code: 402, type: 'insufficient_credits', message: "You've used up your points!" } } } });
    await expectFailure('poe/BrokeBot', 402, /no points left.*used up your points/);
  });

  it('user errors → 400 naming the error type, not retried', async () => {
    for (const errorType of ['user_message_too_long', 'user_caused_error', 'privacy_authorization_error']) {
      suite.upstream.bot('PickyBot', [{ event: 'error', data: { allow_retry: false, text: 'Refused', error_type: errorType } }]);
      await expectFailure('poe/PickyBot', 400, new RegExp(`${errorType}.*Refused`));
    }
  });

  it('an image that cannot be uploaded → the upload status and what Poe said; the bot is never called', async () => {
    suite.upstream.bot('EyeBot', [{ event: 'text', data: { text: 'never' } }]);
    suite.upstream.uploadFailure = { status: 400, body: { error: 'unsupported image format' } };
    await expectFailure('poe/EyeBot', 400, /could not upload 'image\.png' to Poe.*unsupported image format/, { calls: 0, image: PNG });
    assert.equal(suite.upstream.uploads.length, 4, 'one upload per request: a refused upload is not retried');
  });

  it('a bot error that allows a retry is retried before any output: the fake sees 2 calls, the client the answer', async () => {
    let calls = 0;
    suite.upstream.bot('FlakyBot', () => (++calls % 2 === 1 ? [{ event: 'error', data: { allow_retry: true, text: 'Internal server error' } }] : [{ event: 'text', data: { text: 'Recovered' } }]));
    const whole = await suite.openai.chat.completions.create({ model: 'poe/FlakyBot', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(whole.choices[0]?.message.content, 'Recovered');
    assert.equal(callsTo('FlakyBot'), 2);
    const chat = await suite.ollama.chat({ model: 'poe/FlakyBot', messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    for await (const part of chat) text += part.message.content;
    assert.equal(text, 'Recovered');
    assert.equal(callsTo('FlakyBot'), 4);
  });

  it('a bot error that forbids a retry → 502 with its text after exactly one call', async () => {
    suite.upstream.bot('BrokenBot', [{ event: 'error', data: { allow_retry: false, text: 'The bot encountered an unexpected issue.' } }]);
    await expectFailure('poe/BrokenBot', 502, /BrokenBot.*unexpected issue/);
  });

  it('HTTP 5xx and 429 from the bot endpoint are retried; the second call answers', async () => {
    const cases: [number, Record<string, string>][] = [
      [500, {}],
      [503, {}],
      [429, { 'retry-after': '0' }],
    ];
    for (const [status, headers] of cases) {
      suite.upstream.bot('BusyBot', { events: [{ event: 'text', data: { text: 'after a retry' } }], httpError: (call) => (suite.upstream.botCalls.indexOf(call) % 2 === 0 ? { status, body: { detail: 'busy' }, headers } : undefined) });
      suite.upstream.botCalls.length = 0;
      const chat = await suite.ollama.chat({ model: 'poe/BusyBot', messages: [{ role: 'user', content: 'x' }], stream: false });
      assert.equal(chat.message.content, 'after a retry', String(status));
      assert.equal(callsTo('BusyBot'), 2, String(status));
    }
  });

  it('a stream cut before done ends in an error for both clients, after the partial text', async () => {
    suite.upstream.bot('CutBot', { events: [{ event: 'text', data: { text: 'Half of' } }], done: false });
    let text = '';
    const parts = await suite.ollama.chat({ model: 'poe/CutBot', messages: [{ role: 'user', content: 'x' }], stream: true });
    await assert.rejects(
      (async () => {
        for await (const part of parts) text += part.message.content;
      })(),
      /without 'done'/,
    );
    assert.equal(text, 'Half of');
    await assert.rejects(suite.ollama.chat({ model: 'poe/CutBot', messages: [{ role: 'user', content: 'x' }], stream: false }), (error: OllamaError) => error.status_code === 502);
  });
});
